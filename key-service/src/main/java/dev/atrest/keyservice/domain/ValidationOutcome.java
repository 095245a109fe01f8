package dev.atrest.keyservice.domain;

import java.util.Objects;

/**
 * What one check of a project's CMK found. Only a definite answer from KMS judges the key; a timeout or
 * network failure says nothing about it, so it must never lock a project out.
 */
public sealed interface ValidationOutcome {

    static ValidationOutcome valid() {
        return new Valid();
    }

    /** @param reason KMS's answer, e.g. "DisabledException: key is disabled" */
    static ValidationOutcome invalid(String reason) {
        return new Invalid(reason);
    }

    /** @param reason what went wrong on the way, e.g. "connect timed out after 3 attempts" */
    static ValidationOutcome unreachable(String reason) {
        return new Unreachable(reason);
    }

    /** KMS used the key successfully. */
    record Valid() implements ValidationOutcome {}

    /** KMS refused the key: disabled, pending deletion, access denied, or not found. */
    record Invalid(String reason) implements ValidationOutcome {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** KMS did not answer. */
    record Unreachable(String reason) implements ValidationOutcome {
        public Unreachable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
