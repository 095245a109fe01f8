package dev.atrest.keyservice.domain;

import java.util.List;

/**
 * What one health check of a project changes: alerts to store as open, alerts to store as closed
 * (given back with their closing time set), and what to store as the project's validity.
 */
public record AlertChanges(List<Alert> toOpen, List<Alert> toClose, ProjectValidity validity) {

    public AlertChanges {
        toOpen = List.copyOf(toOpen);
        toClose = List.copyOf(toClose);
    }

    /** Whether the check changes no alert (the validity may still need storing, e.g. last_validated_time). */
    public boolean alertsUnchanged() {
        return toOpen.isEmpty() && toClose.isEmpty();
    }

    /** What to store in the project's {@code valid} flag. */
    public enum ProjectValidity {
        /** Access to the project's clusters' keys is allowed (again). */
        VALID,
        /** Requests for the project's clusters' keys are refused until a later check finds the CMK valid. */
        INVALID,
        /** The check reached no verdict: keep whatever is stored. */
        UNCHANGED
    }
}
