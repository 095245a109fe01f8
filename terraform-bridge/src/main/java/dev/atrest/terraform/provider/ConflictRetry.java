package dev.atrest.terraform.provider;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Retries a write the key service aborted because a concurrent request changed the same row. Terraform
 * applies up to ten resources at once, so clusters of one project regularly collide. Safe for the two kinds of
 * write this provider sends: a full, idempotent upsert without an etag (ABORTED can only mean "someone else
 * wrote first"), and a read, a check, then a write conditional on the etag just read (create and delete): each
 * attempt reads again and checks again, so a retry never acts on a stale view.
 */
public final class ConflictRetry {

    private static final Logger LOG = Logger.getLogger(ConflictRetry.class.getName());
    private static final int ATTEMPTS = 6;
    private static final long FIRST_BACKOFF_MILLIS = 50;

    private ConflictRetry() {
    }

    public static <T> T write(Supplier<T> call) {
        long backoff = FIRST_BACKOFF_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.ABORTED || attempt == ATTEMPTS) {
                    throw e;
                }
                int failed = attempt;
                LOG.fine(() -> "write aborted by a concurrent change (attempt " + failed + "), retrying");
                sleep(backoff + (long) (Math.random() * backoff)); // jitter: colliding writers spread out
                backoff *= 2;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("interrupted while retrying").asRuntimeException();
        }
    }
}
