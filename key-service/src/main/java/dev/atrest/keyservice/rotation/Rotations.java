package dev.atrest.keyservice.rotation;

import dev.atrest.keyservice.domain.ClusterEncryption;
import dev.atrest.keyservice.domain.ConcurrentUpdateException;
import dev.atrest.keyservice.domain.PreconditionFailedException;
import dev.atrest.keyservice.domain.PreconditionFailedException.Reason;
import dev.atrest.keyservice.domain.ResourceNames;
import dev.atrest.keyservice.domain.RotationStatus;
import dev.atrest.keyservice.health.KeyMetrics;
import dev.atrest.keyservice.rotation.MasterKeyRotation.Due;
import dev.atrest.keyservice.store.JobLock;
import dev.atrest.keyservice.store.JobLocks;
import dev.atrest.keyservice.store.LockLostException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Master-key rotation on demand (RotateMasterKey) and its status. The new version is created before the
 * call returns; the re-wrap continues in the background under the cluster's rotation lock.
 */
@ApplicationScoped
public class Rotations {
    private static final Logger LOG = Logger.getLogger(Rotations.class);
    /** Longer than a KMS call may take (atrest.aws.api-call-timeout defaults to 10 s): a create step ends within it. */
    private static final Duration LOCK_WAIT = Duration.ofSeconds(15);
    private static final Duration LOCK_RETRY = Duration.ofMillis(50);

    private final MasterKeyRotation rotation;
    private final RotationSteps steps;
    private final JobLocks locks;
    private final KeyMetrics metrics;
    private final Clock clock;
    /**
     * Re-wraps run side by side. A waiting one holds nothing (its lock is a lease), and a running one holds
     * a pooled connection only inside a step, never while KMS opens its master keys: with a KMS answering in
     * seconds, two at a time would make 64 rotations take minutes, while eight leave the pool to the data plane.
     */
    private static final int PARALLEL_REWRAPS = 8;

    private final ExecutorService background = Executors.newFixedThreadPool(PARALLEL_REWRAPS, runnable -> {
        Thread thread = new Thread(runnable, "atrest-rotation");
        thread.setDaemon(true);
        return thread;
    });

    Rotations(MasterKeyRotation rotation, RotationSteps steps, JobLocks locks, KeyMetrics metrics, Clock clock) {
        this.rotation = rotation;
        this.steps = steps;
        this.locks = locks;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Rotates now, whatever the key's age. A rotation already under way (here or on another replica) is
     * not restarted: its status is returned.
     */
    public RotationStatus rotateNow(String projectId, String clusterName) {
        ResourceNames.requireCluster(projectId, clusterName);
        Instant asked = Instant.now(clock);
        requireEncrypted(projectId, clusterName);
        Optional<JobLock> lock = lockUnlessRotating(projectId, clusterName);
        if (lock.isEmpty()) {
            return status(projectId, clusterName);
        }
        try {
            if (!rotating(projectId, clusterName)) {
                // A version made after this call arrived (by a concurrent call, here or on another replica,
                // that held the lock meanwhile) already answers it: two calls at once rotate once.
                if (rotation.startIfDue(projectId, clusterName, Due.activatedBefore(asked), lock.get())) {
                    metrics.refresh(); // the master key's age starts again
                }
            }
            background.execute(() -> rewrapInBackground(projectId, clusterName, lock.get()));
        } catch (LockLostException e) {
            lock.get().close();
            throw new ConcurrentUpdateException("the rotation of cluster " + clusterName + " was taken over by"
                    + " another replica; try again");
        } catch (RuntimeException e) {
            lock.get().close();
            throw e;
        }
        return status(projectId, clusterName);
    }

    /**
     * The cluster's rotation lock, or empty once a rotation is under way. The lock alone does not say
     * so: a periodic check holds it while it finds the cluster not due, and a concurrent call holds it
     * before its new version is stored. Either is waited out, so that the call still rotates or reports
     * the rotation the other holder started, never neither.
     */
    private Optional<JobLock> lockUnlessRotating(String projectId, String clusterName) {
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        while (true) {
            Optional<JobLock> lock = locks.tryLock(MasterKeyRotation.lockName(projectId, clusterName));
            if (lock.isPresent() || rotating(projectId, clusterName)) {
                return lock;
            }
            if (System.nanoTime() > deadline) {
                throw new ConcurrentUpdateException("cluster " + clusterName + " is busy with another"
                        + " rotation step; try again");
            }
            try {
                Thread.sleep(LOCK_RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the rotation lock of " + clusterName, e);
            }
        }
    }

    public RotationStatus status(String projectId, String clusterName) {
        ResourceNames.requireCluster(projectId, clusterName);
        return steps.status(projectId, clusterName);
    }

    /** A light read of the cluster row (no key counts), for polling. */
    private boolean rotating(String projectId, String clusterName) {
        return steps.cluster(projectId, clusterName).map(ClusterEncryption::rotationInProgress).orElse(false);
    }

    private void rewrapInBackground(String projectId, String clusterName, JobLock lock) {
        try (lock) {
            rotation.rewrapAndFinish(projectId, clusterName, lock);
        } catch (LockLostException e) {
            // Not a failure of the rotation: the replica that took the lock over carries it on.
            LOG.infof("cluster %s/%s: %s", projectId, clusterName, e.getMessage());
        } catch (RuntimeException e) {
            // Nothing is lost: the keys not yet moved still unwrap under the retired version, and the
            // rotation check picks the rotation up again.
            LOG.warnf("cluster %s/%s: rotation interrupted: %s", projectId, clusterName, e.getMessage());
            steps.recordError(projectId, clusterName, e.getMessage());
            rotation.recordFailure(projectId, clusterName, e);
        }
    }

    private void requireEncrypted(String projectId, String clusterName) {
        if (!steps.cluster(projectId, clusterName).map(ClusterEncryption::encrypted).orElse(false)) {
            throw new PreconditionFailedException(Reason.ENCRYPTION_AT_REST_NOT_ENABLED,
                    "cluster " + clusterName + " is not encrypted: there is no master key to rotate",
                    Map.of("cluster_name", clusterName));
        }
    }

    @PreDestroy
    void stop() {
        // A re-wrap cut short here is resumed by the next rotation check, on this replica or another.
        background.shutdownNow();
    }
}
