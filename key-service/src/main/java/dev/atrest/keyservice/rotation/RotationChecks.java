package dev.atrest.keyservice.rotation;

import dev.atrest.keyservice.health.KeyMetrics;
import dev.atrest.keyservice.rotation.MasterKeyRotation.Due;
import dev.atrest.keyservice.store.JobLock;
import dev.atrest.keyservice.store.JobLocks;
import dev.atrest.keyservice.store.LockLostException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The rotation check, run periodically by {@link RotationJob}: rotates every encrypted cluster whose
 * master key is older than its period and finishes every rotation left unfinished (by a crash, a restart
 * or a KMS outage). Whether a cluster
 * is due is read from the database each time, never remembered, so rotation keeps happening across
 * restarts; a cluster whose lock another replica holds is skipped, so each rotates once.
 */
@ApplicationScoped
public class RotationChecks {
    private static final Logger LOG = Logger.getLogger(RotationChecks.class);

    private final MasterKeyRotation rotation;
    private final RotationSteps steps;
    private final JobLocks locks;
    private final KeyMetrics metrics;

    RotationChecks(MasterKeyRotation rotation, RotationSteps steps, JobLocks locks, KeyMetrics metrics) {
        this.rotation = rotation;
        this.steps = steps;
        this.locks = locks;
        this.metrics = metrics;
    }

    /** One check over every cluster; returns how many this run rotated or finished. */
    public int runOnce() {
        int handled = 0;
        for (RotationSteps.ClusterRef cluster : steps.candidates()) {
            handled += checkCluster(cluster.projectId(), cluster.clusterName()) ? 1 : 0;
        }
        if (handled > 0) {
            metrics.refresh(); // once per run, not per cluster: master-key ages restarted
        }
        return handled;
    }

    /**
     * Rotates one cluster if it is due and finishes its unfinished rotation; false when there was nothing
     * to do or another run holds it. One cluster's failure never stops the check of the others.
     */
    public boolean checkCluster(String projectId, String clusterName) {
        Optional<JobLock> lock = locks.tryLock(MasterKeyRotation.lockName(projectId, clusterName));
        if (lock.isEmpty()) {
            return false;
        }
        try (JobLock held = lock.get()) {
            boolean created = rotation.startIfDue(projectId, clusterName, Due.BY_POLICY, held);
            boolean finished = rotation.rewrapAndFinish(projectId, clusterName, held);
            return created || finished;
        } catch (LockLostException e) {
            // Not a failure of the rotation: the replica that took the lock over carries it on.
            LOG.infof("cluster %s/%s: %s", projectId, clusterName, e.getMessage());
            return false;
        } catch (RuntimeException e) {
            LOG.warnf("cluster %s/%s: rotation check failed, will retry at the next check: %s",
                    projectId, clusterName, e.getMessage());
            steps.recordError(projectId, clusterName, e.getMessage());
            rotation.recordFailure(projectId, clusterName, e);
            return false;
        }
    }

}
