package dev.atrest.terraform.provider;

import dev.atrest.terraform.wire.Block;
import java.util.List;
import java.util.Map;

/**
 * One resource type. Values are the codec's plain values (objects as maps). Implementations never leave
 * half-written state: a failed call returns the state as it was before, plus an error diagnostic.
 */
public interface ManagedResource {

    String typeName();

    Block schema();

    /** Checks configuration at plan time; values may still be unknown. */
    void validate(Map<String, Object> config, Diagnostics diagnostics);

    /** The planned new state for a create or update ({@code prior} null on create). */
    Plan plan(Map<String, Object> prior, Map<String, Object> proposed, Map<String, Object> config);

    /**
     * Applies a plan. {@code planned} null means delete. Returns the new state: on success the planned
     * values with unknowns resolved, on failure the prior state.
     */
    Map<String, Object> apply(Map<String, Object> prior, Map<String, Object> planned, Map<String, Object> config,
            AtrestClient client, Diagnostics diagnostics);

    /** The current state, or null when the object no longer exists (Terraform then plans to create it). */
    Map<String, Object> read(Map<String, Object> state, AtrestClient client, Diagnostics diagnostics);

    /** The minimal state Terraform then completes with {@link #read}; null after an error diagnostic. */
    Map<String, Object> importState(String id, Diagnostics diagnostics);

    /** A planned state and the changed attributes that force replacement. */
    record Plan(Map<String, Object> planned, List<String> requiresReplace) {
        public Plan {
            requiresReplace = List.copyOf(requiresReplace);
        }
    }
}
