package dev.atrest.keyservice.cmkchange;

import dev.atrest.keyservice.domain.KeyState;
import dev.atrest.keyservice.domain.ProjectEncryption;
import dev.atrest.keyservice.domain.RootKeyConfig;
import dev.atrest.keyservice.health.KeyHealth;
import dev.atrest.keyservice.kms.Secrets;
import dev.atrest.keyservice.kms.WrappedMasterKey;
import dev.atrest.keyservice.masterkey.KeyAccessChanged;
import dev.atrest.keyservice.masterkey.MasterKeys;
import dev.atrest.keyservice.store.CmkChangeEntity;
import dev.atrest.keyservice.store.CmkChangeRepository;
import dev.atrest.keyservice.store.JobLock;
import dev.atrest.keyservice.store.MasterKeyEntity;
import dev.atrest.keyservice.store.MasterKeyRepository;
import dev.atrest.keyservice.store.ProjectEncryptionEntity;
import dev.atrest.keyservice.store.ProjectEncryptionRepository;
import dev.atrest.keyservice.store.ProjectRows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable steps of a CMK change, each in a transaction of its own: one master key moves at a time,
 * so after a failure every master key is readable under exactly one of the two root keys, and it
 * records which ({@code root_key_generation}).
 */
@ApplicationScoped
class CmkChangeSteps {
    private final ProjectEncryptionRepository projects;
    private final MasterKeyRepository masterKeyRows;
    private final CmkChangeRepository changes;
    private final ProjectRows rows;
    private final MasterKeys masterKeys;
    private final KeyHealth keyHealth;
    private final Event<KeyAccessChanged> keyAccessChanged;
    private final Clock clock;

    CmkChangeSteps(ProjectEncryptionRepository projects, MasterKeyRepository masterKeyRows,
                   CmkChangeRepository changes, ProjectRows rows, MasterKeys masterKeys, KeyHealth keyHealth,
                   Event<KeyAccessChanged> keyAccessChanged, Clock clock) {
        this.projects = projects;
        this.masterKeyRows = masterKeyRows;
        this.changes = changes;
        this.rows = rows;
        this.masterKeys = masterKeys;
        this.keyHealth = keyHealth;
        this.keyAccessChanged = keyAccessChanged;
        this.clock = clock;
    }

    /** The ids of the master keys still under the old root key. */
    @Transactional(TxType.REQUIRES_NEW)
    List<Long> keysToMove(String projectId) {
        return projects.findByProjectId(projectId)
                .map(project -> masterKeyRows.listLiveBeforeGeneration(projectId, project.rootKeyGeneration))
                .orElse(List.of()).stream().map(row -> row.id).toList();
    }

    /**
     * Moves one master key to the project's current root key. The row is locked while KMS re-encrypts it,
     * so that no other writer changes it in between; a key already moved (or destroyed) is left alone.
     */
    @Transactional(TxType.REQUIRES_NEW)
    void move(String projectId, long masterKeyId, JobLock lock) {
        ProjectEncryptionEntity project = projects.findByProjectId(projectId).orElseThrow();
        MasterKeyEntity row = masterKeyRows.lockById(masterKeyId).orElseThrow();
        if (row.state == KeyState.DESTROYED || row.rootKeyGeneration == project.rootKeyGeneration) {
            return;
        }
        RootKeyConfig from = rows.rootKeyForGeneration(project, row.rootKeyGeneration);
        RootKeyConfig to = rows.rootKeyForGeneration(project, project.rootKeyGeneration);
        try {
            WrappedMasterKey moved = masterKeys.rewrapped(from, to, row);
            masterKeys.setWrapping(row, to, project.rootKeyGeneration, moved);
            lock.fence(); // a run whose CMK-change lock was taken over stores nothing
        } finally {
            Secrets.clear(from);
            Secrets.clear(to);
        }
    }

    /** Ends the change once no master key is left under the old root key; false if some still is. */
    @Transactional(TxType.REQUIRES_NEW)
    boolean finish(String projectId, JobLock lock) {
        ProjectEncryptionEntity project = projects.lockByProjectId(projectId).orElseThrow();
        Optional<CmkChangeEntity> change = changes.findByIdOptional(projectId);
        if (change.isEmpty()) {
            return true;
        }
        if (masterKeyRows.countLiveBeforeGeneration(projectId, project.rootKeyGeneration) > 0) {
            return false;
        }
        changes.delete(change.get());
        project.cmkLastChangedTime = Instant.now(clock);
        projects.flush();
        lock.fence();
        keyHealth.recordUsable(project); // the new CMK just wrapped every master key; its age starts now
        keyAccessChanged.fire(new KeyAccessChanged(projectId)); // the old CMK no longer serves keys held in memory
        return true;
    }

    @Transactional(TxType.REQUIRES_NEW)
    void recordError(String projectId, String error) {
        changes.findByIdOptional(projectId).ifPresent(change -> change.lastError = error);
    }

    @Transactional(TxType.REQUIRES_NEW)
    ProjectEncryption describe(String projectId) {
        return rows.describe(projects.findByProjectId(projectId).orElseThrow());
    }

    @Transactional(TxType.REQUIRES_NEW)
    List<String> unfinished() {
        return changes.unfinishedProjectIds();
    }
}
