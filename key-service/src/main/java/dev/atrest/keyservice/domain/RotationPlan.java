package dev.atrest.keyservice.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * The steps of a crash-safe master-key rotation of one cluster: create the new version (which retires
 * the old one at the same instant), re-wrap every live database key still wrapped by an older version,
 * then record the rotation finished. After every step each database key is wrapped by a stored master
 * key that is not destroyed (retired keys still unwrap), and there is at most one ACTIVE master key.
 *
 * <p>What is left to do is a function of the stored hierarchy alone, so a service killed at any instant
 * plans again from what it finds ({@link #resume}) and carries on where it stopped. Old versions are not
 * destroyed here: once they wrap nothing, {@link KeyLifecycle#destroy} decides, minding snapshots.
 */
public final class RotationPlan {
    private final int targetVersion;
    private final List<RotationStep> steps;

    private RotationPlan(int targetVersion, List<RotationStep> steps) {
        this.targetVersion = targetVersion;
        this.steps = List.copyOf(steps);
    }

    /**
     * The rotation that a due check or RotateMasterKey starts: to a new version, unless a rotation is
     * still unfinished, which is then finished instead. Asking twice never makes two new versions.
     */
    public static RotationPlan start(KeyRing ring) {
        requireSound(ring);
        return ring.rotationUnfinished() ? rewrapAll(ring, ring.currentVersion()) : createThenRewrap(ring);
    }

    /**
     * What is left of a rotation to {@code targetVersion} (as recorded when it started), given the
     * hierarchy as stored now. If the target is stored, the create step committed and only re-wraps
     * are left, to the current version (the target, or a later one that superseded it).
     */
    public static RotationPlan resume(KeyRing ring, int targetVersion) {
        requireSound(ring);
        if (ring.masterKeyState(targetVersion).isPresent()) {
            return rewrapAll(ring, ring.currentVersion());
        }
        if (targetVersion != ring.nextVersion()) {
            throw new IllegalStateException("cannot resume a rotation to master-key version " + targetVersion
                    + ": the next version is " + ring.nextVersion());
        }
        return createThenRewrap(ring);
    }

    /** The master-key version every database key is wrapped by when the plan is done. */
    public int targetVersion() {
        return targetVersion;
    }

    public List<RotationStep> steps() {
        return steps;
    }

    public boolean createsMasterKey() {
        return !steps.isEmpty() && steps.get(0) instanceof RotationStep.CreateMasterKey;
    }

    /** The ring after every step: what the service will have stored once the plan has run. */
    public KeyRing applyTo(KeyRing ring) {
        KeyRing result = ring;
        for (RotationStep step : steps) {
            result = step.applyTo(result);
        }
        return result;
    }

    private static RotationPlan createThenRewrap(KeyRing ring) {
        int target = ring.nextVersion();
        List<RotationStep> steps = new ArrayList<>();
        steps.add(new RotationStep.CreateMasterKey(target));
        ring.wrappedBy().forEach((key, from) -> steps.add(new RotationStep.RewrapDatabaseKey(key, from, target)));
        steps.add(new RotationStep.FinishRotation(target));
        return new RotationPlan(target, steps);
    }

    private static RotationPlan rewrapAll(KeyRing ring, int target) {
        List<RotationStep> steps = new ArrayList<>();
        for (DatabaseKeyRef key : ring.wrappedByOtherThan(target)) {
            steps.add(new RotationStep.RewrapDatabaseKey(key, ring.wrappedBy().get(key), target));
        }
        steps.add(new RotationStep.FinishRotation(target));
        return new RotationPlan(target, steps);
    }

    private static void requireSound(KeyRing ring) {
        if (ring.currentVersion() < 1) {
            throw new IllegalStateException("the cluster has no master key to rotate");
        }
        List<String> violations = ring.violations();
        if (!violations.isEmpty()) {
            throw new IllegalStateException("refusing to rotate an inconsistent key hierarchy: " + violations);
        }
    }
}
