package dev.atrest.terraform.resources;

import dev.atrest.terraform.provider.Diagnostics;
import dev.atrest.terraform.wire.Values;
import java.math.BigDecimal;
import java.util.Map;

/**
 * What ties a Terraform object to the remote encryption it switched on: the service's {@code generation},
 * which moves each time encryption is switched on from NONE. Create never takes over encryption that is
 * already on (it may be another configuration's), and delete and refresh act only on the incarnation the
 * state recorded: a deposed object whose twin was created since must not switch its twin off.
 */
final class Incarnations {

    static final String GENERATION = "generation";

    /** Thrown inside a conditional create when the remote object turns out to be encrypted already. */
    static final class AlreadyEncrypted extends RuntimeException {
        final String provider;
        final long generation;

        AlreadyEncrypted(String provider, long generation) {
            super(null, null, false, false);
            this.provider = provider;
            this.generation = generation;
        }
    }

    private Incarnations() {
    }

    static BigDecimal toState(long generation) {
        return BigDecimal.valueOf(generation);
    }

    /**
     * Whether the remote object is another incarnation than the one {@code state} recorded. Unknown on either
     * side (never recorded: state from an older provider; 0: a key service that predates generations, or a
     * row that is gone) is not "another": such an object behaves as before generations existed.
     */
    static boolean isAnother(Map<String, Object> state, long remoteGeneration) {
        return state.get(GENERATION) instanceof BigDecimal recorded && recorded.signum() > 0 && remoteGeneration > 0
                && recorded.longValueExact() != remoteGeneration;
    }

    /** The error a create gets when the remote object already has encryption, as the major providers word it. */
    static void reportExisting(Diagnostics diagnostics, String typeName, String what, String importId,
            AlreadyEncrypted existing) {
        diagnostics.error(what + " already has encryption at rest", what + " already has encryption at rest ("
                + existing.provider + ", generation " + existing.generation + "), perhaps managed by another "
                + "configuration or state. Nothing was changed. To manage it with this configuration, import it:\n"
                + "  terraform import " + typeName + ".NAME " + importId + "\n"
                + "or with an import block:\n"
                + "  import {\n    to = " + typeName + ".NAME\n    id = \"" + importId + "\"\n  }\n"
                + "If this is the replacement of a resource that manages it with create_before_destroy, that resource "
                + "keeps it: there is one encryption setting per " + (typeName.contains("cluster") ? "cluster" : "project")
                + ", so its replacement cannot be created beside it. Remove create_before_destroy to replace it.");
    }

    /**
     * Whether the remote object, as state, is exactly what the plan asked for: every value the plan knows is
     * stored so. Only then may a create adopt an object its own earlier attempt may have made.
     */
    static boolean storedAsPlanned(Map<String, Object> planned, Map<String, Object> stored) {
        return Values.resolveUnknowns(planned, stored).equals(stored);
    }

    /** The warning a create gives when it records what its own earlier attempt, whose answer was lost, made. */
    static void reportAdopted(Diagnostics diagnostics, String what, long generation) {
        diagnostics.warning("recorded " + what + " as created", "the connection to the key service failed while "
                + "switching encryption on, and asking again found " + what + " encrypted exactly as configured "
                + "(generation " + generation + "): by the first attempt, whose answer was lost, or by someone else "
                + "with the same settings at the same moment. It is recorded as this object instead of failing.");
    }

    /** The warning a delete gives when the remote object was switched off and on again since this one was created. */
    static void reportLeftAlone(Diagnostics diagnostics, String what, Map<String, Object> state, long remoteGeneration) {
        diagnostics.warning(what + " re-created since this object was created; left alone", "this object recorded "
                + "generation " + ((BigDecimal) state.get(GENERATION)).toPlainString() + " of " + what
                + "'s encryption, the key service now holds generation " + remoteGeneration + ": it was switched "
                + "off and on again since (e.g. by a replacement created before this object's destroy), so destroying "
                + "this object does not switch it off. It was removed from the state only.");
    }
}
