package dev.atrest.testsupport;

import dev.atrest.v1.ClusterEncryptionServiceGrpc.ClusterEncryptionServiceBlockingStub;
import dev.atrest.v1.GetRotationStatusRequest;
import dev.atrest.v1.RotationStatus;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * The waits of both suites, on Awaitility: a condition polled in the test's own thread (so it may use the
 * test's transaction and request context) until it holds, failing with what was awaited when time runs out.
 * The limits bound a hung test; they are not performance assertions.
 */
public final class Awaits {
    /** How long a rotation of a test-sized cluster may take on a loaded 2-core machine. */
    public static final Duration ROTATION_LIMIT = Duration.ofSeconds(60);

    /** Fine enough for the crash tests, which time a rotation to pick instants to kill the service in. */
    private static final Duration POLL = Duration.ofMillis(10);

    private Awaits() {
    }

    /** Polls {@code done} every 10 ms until it returns true; fails naming {@code what} after {@code limit}. */
    public static void until(String what, Duration limit, Callable<Boolean> done) {
        poll(what, limit).until(done);
    }

    /** Polls {@code value} until {@code done} accepts it, and returns that value. */
    public static <T> T until(String what, Duration limit, Callable<T> value, Predicate<? super T> done) {
        return poll(what, limit).until(value, done::test);
    }

    /**
     * Waits until no rotation of {@code cluster} is in progress and returns its final status.
     *
     * @param clusters a stub for each poll: a stub with a deadline must not be reused past it
     */
    public static RotationStatus rotationFinished(Supplier<ClusterEncryptionServiceBlockingStub> clusters,
            String project, String cluster) {
        GetRotationStatusRequest request = GetRotationStatusRequest.newBuilder().setProjectId(project)
                .setClusterName(cluster).build();
        return until("rotation of " + project + "/" + cluster + " finished", ROTATION_LIMIT,
                () -> clusters.get().getRotationStatus(request), status -> !status.getInProgress());
    }

    private static ConditionFactory poll(String what, Duration limit) {
        return Awaitility.await(what).atMost(limit).pollDelay(Duration.ZERO).pollInterval(POLL)
                .pollInSameThread();
    }
}
