package dev.atrest.terraform.provider;

import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Sends a call again when the key service's answer says that trying again is right, and only where doing so is
 * safe for the call.
 * <ul>
 * <li>ABORTED, on writes: a concurrent request changed the same row first. Terraform applies up to ten
 * resources at once, so clusters of one project regularly collide.</li>
 * <li>UNAVAILABLE, on reads and writes: the service, or its database, could not be reached for a moment, as
 * while replicas move to another Galera node after the writer died. The service names the pause in a
 * google.rpc.RetryInfo when it knows one.</li>
 * </ul>
 * Safe for the kinds of write this provider sends. A full, idempotent upsert without an etag: sending it twice
 * stores the same. A read, a check, then a write conditional on the etag just read (create and delete): each
 * attempt reads and checks again, so a retry never acts on a stale view. After UNAVAILABLE the earlier attempt
 * may have been applied with only its answer lost; {@link LostAnswers} lets a create tell that case apart.
 * Waiting is bounded (about 15 s of pauses for UNAVAILABLE) and ends when Terraform asks the provider to stop.
 */
public final class ServiceRetry {

    private static final Logger LOG = Logger.getLogger(ServiceRetry.class.getName());
    private static final int ATTEMPTS = 6;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    private static final Duration FIRST_UNAVAILABLE_PAUSE = Duration.ofMillis(500);
    /** A service's RetryInfo is followed up to this; a longer pause is the operator's business, not a plan's. */
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(8);

    private ServiceRetry() {
    }

    /** A write: retried after ABORTED and after UNAVAILABLE. */
    public static <T> T write(AtrestClient client, Supplier<T> call) {
        return run(client, call, true);
    }

    /** A read: retried after UNAVAILABLE. */
    public static <T> T read(AtrestClient client, Supplier<T> call) {
        return run(client, call, false);
    }

    private static <T> T run(AtrestClient client, Supplier<T> call, boolean write) {
        Duration conflictPause = FIRST_PAUSE;
        Duration unavailablePause = FIRST_UNAVAILABLE_PAUSE;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                boolean conflict = write && code == Status.Code.ABORTED;
                if (!(conflict || code == Status.Code.UNAVAILABLE) || attempt == ATTEMPTS) {
                    throw e;
                }
                Duration pause = conflict ? conflictPause : retryDelay(e).orElse(unavailablePause);
                int failed = attempt;
                LOG.fine(() -> code + " (attempt " + failed + "): " + e.getStatus().getDescription()
                        + "; trying again in " + pause.toMillis() + " ms");
                client.waiting().sleep(jittered(min(pause, LONGEST_PAUSE)));
                if (conflict) {
                    conflictPause = conflictPause.multipliedBy(2);
                } else {
                    unavailablePause = min(unavailablePause.multipliedBy(2), LONGEST_PAUSE);
                }
            }
        }
    }

    /** The pause the service asked for in a google.rpc.RetryInfo, if it sent one. */
    static Optional<Duration> retryDelay(StatusRuntimeException error) {
        return ServiceErrors.detail(error, RetryInfo.class).map(info -> Duration.ofSeconds(
                info.getRetryDelay().getSeconds(), info.getRetryDelay().getNanos()));
    }

    /** Between the pause and half again: writers that collided, or clients the same outage hit, spread out. */
    private static Duration jittered(Duration pause) {
        return pause.plusMillis(ThreadLocalRandom.current().nextLong(pause.toMillis() / 2 + 1));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
