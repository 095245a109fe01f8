package dev.atrest.keyservice.snapshot;

import dev.atrest.keyservice.domain.ClusterKeys;
import dev.atrest.keyservice.domain.PreconditionFailedException;
import dev.atrest.keyservice.domain.PreconditionFailedException.Reason;
import dev.atrest.keyservice.domain.ResourceNames;
import dev.atrest.keyservice.domain.Snapshot;
import dev.atrest.keyservice.domain.SnapshotRestore;
import dev.atrest.keyservice.masterkey.MasterKeys;
import dev.atrest.keyservice.store.DatabaseKeyEntity;
import dev.atrest.keyservice.store.DatabaseKeyRepository;
import dev.atrest.keyservice.store.MasterKeyEntity;
import dev.atrest.keyservice.store.MasterKeyRepository;
import dev.atrest.keyservice.store.ProjectEncryptionEntity;
import dev.atrest.keyservice.store.ProjectEncryptionRepository;
import dev.atrest.keyservice.store.ProjectRows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a snapshot can be restored now: the stored hierarchy still holds every key version it needs
 * (SnapshotRestore), and the project's CMK really unwraps the master keys those need. Only the second
 * step asks KMS; a stored verdict of "invalid" is enough to refuse without asking.
 */
@ApplicationScoped
public class SnapshotRestores {
    private final ProjectEncryptionRepository projects;
    private final MasterKeyRepository masterKeyRows;
    private final DatabaseKeyRepository databaseKeyRows;
    private final MasterKeys masterKeys;
    private final Snapshots snapshots;

    SnapshotRestores(ProjectEncryptionRepository projects, MasterKeyRepository masterKeyRows,
                     DatabaseKeyRepository databaseKeyRows, MasterKeys masterKeys,
                     Snapshots snapshots) {
        this.projects = projects;
        this.masterKeyRows = masterKeyRows;
        this.databaseKeyRows = databaseKeyRows;
        this.masterKeys = masterKeys;
        this.snapshots = snapshots;
    }

    /** Returns the snapshot, or throws INVALID_SNAPSHOT_RESTORE_ENCRYPTION saying why it cannot be restored. */
    @Transactional
    public Snapshot prepare(String projectId, String clusterName, String snapshotId) {
        ResourceNames.requireSnapshot(projectId, clusterName, snapshotId);
        Snapshot snapshot = snapshots.find(projectId, clusterName, snapshotId).toDomain();
        Optional<ProjectEncryptionEntity> project = projects.findByProjectId(projectId);
        List<MasterKeyEntity> masters = masterKeyRows.listByCluster(projectId, clusterName);
        List<DatabaseKeyEntity> databases = databaseKeyRows.listByCluster(projectId, clusterName);
        SnapshotRestore.check(snapshot, project.map(ProjectRows::toDomain).orElse(null), new ClusterKeys(
                masters.stream().map(MasterKeyEntity::toDomain).toList(),
                databases.stream().map(DatabaseKeyEntity::toDomain).toList()));
        Set<Integer> needed = neededMasterKeys(snapshot, databases);
        proveUnwrap(snapshot, project.orElseThrow(), masters.stream().filter(m -> needed.contains(m.version)).toList());
        return snapshot;
    }

    /** The snapshot's master-key version, and the versions wrapping the database keys it recorded. */
    private static Set<Integer> neededMasterKeys(Snapshot snapshot, List<DatabaseKeyEntity> databases) {
        Set<Integer> versions = new TreeSet<>(Set.of(snapshot.masterKeyVersion()));
        databases.stream()
                .filter(key -> Integer.valueOf(key.version).equals(snapshot.databaseKeyVersions().get(key.databaseName)))
                .forEach(key -> versions.add(key.masterKeyVersion));
        return versions;
    }

    private void proveUnwrap(Snapshot snapshot, ProjectEncryptionEntity project, List<MasterKeyEntity> needed) {
        try {
            for (MasterKeyEntity row : needed) {
                // Under whichever root key its row names (a CMK change may be under way); only the unwrap matters.
                masterKeys.open(project, row).close();
            }
        } catch (PreconditionFailedException verdict) {
            if (verdict.reason() != Reason.ENCRYPTION_AT_REST_SETTINGS_INVALID) {
                throw verdict;
            }
            // KMS has judged the CMK unusable: for this caller that means the snapshot cannot be restored.
            String kmsReason = verdict.metadata().getOrDefault("kms_reason", verdict.getMessage());
            throw new PreconditionFailedException(Reason.INVALID_SNAPSHOT_RESTORE_ENCRYPTION,
                    "cannot restore snapshot " + snapshot.id() + ": the project's CMK cannot unwrap its keys: "
                            + kmsReason, Map.of("snapshot_id", snapshot.id(), "kms_reason", kmsReason));
        }
    }
}
