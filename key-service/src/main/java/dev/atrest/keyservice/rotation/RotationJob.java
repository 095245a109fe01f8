package dev.atrest.keyservice.rotation;

import dev.atrest.keyservice.cmkchange.CmkChanges;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps keys moving on their own: due master-key rotations, and rotations and CMK changes that a crash,
 * a restart or a KMS outage left unfinished. Soon after start-up, then every check interval; a run still
 * going when the next is due is not doubled. Replicas may all run it: each cluster and project is taken
 * under a lock only one holds.
 */
@ApplicationScoped
class RotationJob {
    private final RotationChecks rotations;
    private final CmkChanges cmkChanges;

    RotationJob(RotationChecks rotations, CmkChanges cmkChanges) {
        this.rotations = rotations;
        this.cmkChanges = cmkChanges;
    }

    @Scheduled(identity = "rotation-check", every = "${atrest.rotation.check-interval}",
            delayed = "${atrest.rotation.first-check-delay}", concurrentExecution = ConcurrentExecution.SKIP)
    void run() {
        // CMK changes first: a rotation's new master key would be created under the new CMK either way.
        cmkChanges.resumeUnfinished();
        rotations.runOnce();
    }
}
