package dev.atrest.keyservice.domain;

import java.util.Objects;

/**
 * The answer to "may this key version be retired / destroyed?". A value rather than an exception: the
 * job that retires and destroys keys walks many versions, and one refusal must not stop the others.
 *
 * @param reason why, for logs and status; empty when the change may proceed
 */
public record LifecycleDecision(Verdict verdict, String reason) {

    public LifecycleDecision {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
    }

    static LifecycleDecision proceed() {
        return new LifecycleDecision(Verdict.PROCEED, "");
    }

    static LifecycleDecision alreadyDone(String reason) {
        return new LifecycleDecision(Verdict.ALREADY_DONE, reason);
    }

    static LifecycleDecision refused(String reason) {
        return new LifecycleDecision(Verdict.REFUSED, reason);
    }

    public boolean mayProceed() {
        return verdict == Verdict.PROCEED;
    }

    public enum Verdict {
        /** Make the change. */
        PROCEED,
        /** The key is already there: asking twice is harmless, store nothing. */
        ALREADY_DONE,
        /** The change would lose something or go backwards: store nothing. */
        REFUSED
    }
}
