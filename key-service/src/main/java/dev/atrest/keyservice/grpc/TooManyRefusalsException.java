package dev.atrest.keyservice.grpc;

import java.time.Duration;

/**
 * A caller was refused more often than {@code atrest.refusals.*} allows: this call is answered
 * RESOURCE_EXHAUSTED without authenticating it or reading the database. A transport concern, not a
 * domain error, hence outside the domain's exception family; mapped in {@link ErrorMapper} all the same.
 */
public final class TooManyRefusalsException extends RuntimeException {
    private final Duration retryAfter;

    public TooManyRefusalsException(Duration retryAfter) {
        super("too many refused calls from this caller; retry after " + Math.max(1, retryAfter.toMillis()) + " ms",
                null, false, false);
        this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
        return retryAfter;
    }
}
