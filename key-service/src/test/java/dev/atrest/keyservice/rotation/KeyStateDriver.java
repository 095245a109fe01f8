package dev.atrest.keyservice.rotation;

import dev.atrest.keyservice.domain.KeyState;
import dev.atrest.keyservice.store.JobLock;
import dev.atrest.keyservice.store.JobLocks;
import dev.atrest.keyservice.store.MasterKeyEntity;
import dev.atrest.keyservice.store.MasterKeyRepository;
import dev.atrest.keyservice.store.ProjectEncryptionEntity;
import dev.atrest.keyservice.store.ProjectEncryptionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;

/**
 * Drives a cluster's keys into every state the snapshot and retention tests need: a rotation stopped
 * after its create step (by the real engine's steps), and states the service never reaches by itself
 * (a version destroyed regardless, a master key pointed at another CMK, a stored invalid verdict).
 */
@ApplicationScoped
public class KeyStateDriver {
    @Inject MasterKeyRotation rotation;
    @Inject RotationSteps steps;
    @Inject ProjectEncryptionRepository projects;
    @Inject MasterKeyRepository masterKeyRows;
    @Inject Clock clock;
    @Inject JobLocks locks;

    /** A rotation's create step, by the real engine: a new ACTIVE version, the old one RETIRED (decrypt-only). */
    public int startRotation(String projectId, String clusterName) {
        try (JobLock lock = rotationLock(projectId, clusterName)) {
            rotation.startIfDue(projectId, clusterName, MasterKeyRotation.Due.ALWAYS, lock);
        }
        return steps.cluster(projectId, clusterName).orElseThrow().masterKeyVersion();
    }

    /** The rest of the rotation, by the real engine: every database key re-wrapped, then the finish step. */
    public void finishRotation(String projectId, String clusterName) {
        try (JobLock lock = rotationLock(projectId, clusterName)) {
            rotation.rewrapAndFinish(projectId, clusterName, lock);
        }
    }

    private JobLock rotationLock(String projectId, String clusterName) {
        return locks.tryLock(MasterKeyRotation.lockName(projectId, clusterName)).orElseThrow(() ->
                new IllegalStateException("the rotation lock of " + clusterName + " is held elsewhere"));
    }

    /** Erases a master-key version regardless of what needs it: a state the service never reaches itself. */
    @Transactional
    public void forceDestroy(String projectId, String clusterName, int version) {
        MasterKeyEntity row = masterKey(projectId, clusterName, version);
        row.wrappedKey = null;
        row.state = KeyState.DESTROYED;
        row.updateTime = Instant.now(clock);
    }

    /** Records the verdict a failed CMK validation would record. */
    @Transactional
    public void markCmkInvalid(String projectId, String kmsReason) {
        ProjectEncryptionEntity project = projects.lockByProjectId(projectId).orElseThrow();
        project.valid = false;
        project.validationError = kmsReason;
        project.lastValidatedTime = Instant.now(clock);
    }

    /** Points a master key at another CMK than the one that wrapped it, so that KMS refuses to unwrap it. */
    @Transactional
    public void pointMasterKeyAt(String projectId, String clusterName, int version, String wrappingKeyId) {
        masterKey(projectId, clusterName, version).wrappingKeyId = wrappingKeyId;
    }

    @Transactional
    public KeyState masterKeyState(String projectId, String clusterName, int version) {
        return masterKey(projectId, clusterName, version).state;
    }

    private MasterKeyEntity masterKey(String projectId, String clusterName, int version) {
        return masterKeyRows.findVersion(projectId, clusterName, version).orElseThrow();
    }
}
