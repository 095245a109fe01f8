package dev.atrest.keyservice.cmkchange;

import dev.atrest.keyservice.domain.ConcurrentUpdateException;
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
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The durable steps of a CMK change, each in a transaction of its own: one master key moves at a time,
 * so after a failure every master key is readable under exactly one of the two root keys, and it
 * records which ({@code root_key_generation}).
 */
@ApplicationScoped
class CmkChangeSteps {
    /** Each round re-encrypts a master key that changed under the previous one: rare, so a few suffice. */
    private static final int MAX_MOVE_ATTEMPTS = 3;

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
     * Moves one master key to the project's current root key, with no transaction open while KMS re-encrypts
     * it: the key and both root keys are read, KMS re-encrypts, and the new ciphertext is stored under the
     * row's lock only if the row is still the one read. A key already moved (or destroyed) is left alone; one
     * changed meanwhile is read and re-encrypted again, a bounded number of times.
     */
    void move(String projectId, long masterKeyId, JobLock lock) {
        for (int attempt = 0; attempt < MAX_MOVE_ATTEMPTS; attempt++) {
            Optional<PendingMove> pending = readMove(projectId, masterKeyId);
            if (pending.isEmpty()) {
                return;
            }
            if (storeMove(projectId, pending.get(), rewrap(pending.get()), lock)) {
                return;
            }
        }
        throw new ConcurrentUpdateException("master key " + masterKeyId + " of project " + projectId
                + " kept changing while it was being moved to the new root key; the CMK change will retry it");
    }

    /** The master key as it is now and both root keys (secrets unsealed); empty if it needs no move. */
    @Transactional(TxType.REQUIRES_NEW)
    Optional<PendingMove> readMove(String projectId, long masterKeyId) {
        ProjectEncryptionEntity project = projects.findByProjectId(projectId).orElseThrow();
        MasterKeyEntity row = masterKeyRows.findByIdOptional(masterKeyId).orElseThrow();
        if (row.state == KeyState.DESTROYED || row.rootKeyGeneration == project.rootKeyGeneration) {
            return Optional.empty();
        }
        RootKeyConfig from = rows.rootKeyForGeneration(project, row.rootKeyGeneration);
        try {
            RootKeyConfig to = rows.rootKeyForGeneration(project, project.rootKeyGeneration);
            return Optional.of(new PendingMove(row, row.wrappedKey.clone(), row.rootKeyGeneration, from,
                    project.rootKeyGeneration, to));
        } catch (RuntimeException e) {
            Secrets.clear(from);
            throw e;
        }
    }

    /** KMS re-encrypts the master key, no transaction open; both root keys' secrets are cleared after. */
    private WrappedMasterKey rewrap(PendingMove pending) {
        try {
            return masterKeys.rewrapped(pending.from(), pending.to(), pending.row());
        } finally {
            Secrets.clear(pending.from());
            Secrets.clear(pending.to());
        }
    }

    /**
     * Stores the re-encrypted master key under the row's lock if the row and the project's root key are still
     * as read and {@code lock} is still this run's; false if they changed meanwhile (nothing stored). True,
     * storing nothing, if it has moved already.
     */
    @Transactional(TxType.REQUIRES_NEW)
    boolean storeMove(String projectId, PendingMove pending, WrappedMasterKey moved, JobLock lock) {
        ProjectEncryptionEntity project = projects.findByProjectId(projectId).orElseThrow();
        MasterKeyEntity row = masterKeyRows.lockById(pending.row().id).orElseThrow();
        if (row.state == KeyState.DESTROYED || row.rootKeyGeneration == project.rootKeyGeneration) {
            return true;
        }
        if (project.rootKeyGeneration != pending.toGeneration() || row.rootKeyGeneration != pending.fromGeneration()
                || !Arrays.equals(row.wrappedKey, pending.wrappedKey())) {
            return false;
        }
        masterKeys.setWrapping(row, pending.to(), pending.toGeneration(), moved);
        lock.fence(); // a run whose CMK-change lock was taken over stores nothing
        return true;
    }

    /**
     * A master key about to move, as read: its row (detached; KMS needs its ciphertext and context), the
     * ciphertext and root key generation to find unchanged when storing, and both root keys.
     */
    record PendingMove(MasterKeyEntity row, byte[] wrappedKey, int fromGeneration, RootKeyConfig from,
                       int toGeneration, RootKeyConfig to) {}

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
