package dev.atrest.keyservice.datakey;

import dev.atrest.keyservice.domain.ClusterState;
import dev.atrest.keyservice.domain.DatabaseKeyInfo;
import dev.atrest.keyservice.domain.KeyState;
import dev.atrest.keyservice.domain.PreconditionFailedException;
import dev.atrest.keyservice.domain.PreconditionFailedException.Reason;
import dev.atrest.keyservice.domain.RootKeyConfig;
import dev.atrest.keyservice.masterkey.MasterKeyId;
import dev.atrest.keyservice.store.ClusterEncryptionEntity;
import dev.atrest.keyservice.store.ClusterEncryptionRepository;
import dev.atrest.keyservice.store.DatabaseKeyEntity;
import dev.atrest.keyservice.store.DatabaseKeyRepository;
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
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/**
 * What releasing a database key reads and writes in the database, each step in a short transaction of
 * its own: no connection is held while KMS is asked or while a cache waits for a load.
 */
@ApplicationScoped
class DatabaseKeyStore {
    static final int FIRST_VERSION = 1;

    private final ProjectEncryptionRepository projects;
    private final ClusterEncryptionRepository clusters;
    private final MasterKeyRepository masterKeyRows;
    private final DatabaseKeyRepository rows;
    private final ProjectRows projectRows;
    private final Event<DatabaseKeyRotated> rotated;
    private final Clock clock;

    DatabaseKeyStore(ProjectEncryptionRepository projects, ClusterEncryptionRepository clusters,
                     MasterKeyRepository masterKeyRows, DatabaseKeyRepository rows, ProjectRows projectRows,
                     Event<DatabaseKeyRotated> rotated, Clock clock) {
        this.projects = projects;
        this.clusters = clusters;
        this.masterKeyRows = masterKeyRows;
        this.rows = rows;
        this.projectRows = projectRows;
        this.rotated = rotated;
        this.clock = clock;
    }

    /** Passes when the cluster may release keys now; otherwise throws the refusal. */
    @Transactional(TxType.REQUIRES_NEW)
    void requireReleasable(String projectId, String clusterName) {
        encrypted(clusters.find(projectId, clusterName), clusterName);
        refuseWhileInvalid(projects.findByProjectId(projectId).orElseThrow());
    }

    /** Key {@code version} of a database (0: its latest), unless there is none or it was destroyed. */
    @Transactional(TxType.REQUIRES_NEW)
    Optional<StoredDatabaseKey> find(String projectId, String clusterName, String databaseName, int version) {
        Optional<DatabaseKeyEntity> row = version == 0 ? rows.findLatest(projectId, clusterName, databaseName)
                : rows.findVersion(projectId, clusterName, databaseName, version);
        return row.filter(key -> key.state != KeyState.DESTROYED && key.wrappedKey != null)
                .map(key -> new StoredDatabaseKey(key.version, key.masterKeyVersion, key.wrappedKey,
                        masterKeyId(projectId, clusterName, key.masterKeyVersion), key.createTime));
    }

    /** The cluster's current master key, which a database's first key is wrapped under. */
    @Transactional(TxType.REQUIRES_NEW)
    MasterKeyId currentMasterKey(String projectId, String clusterName) {
        ClusterEncryptionEntity cluster = encrypted(clusters.find(projectId, clusterName), clusterName);
        return masterKeyId(projectId, clusterName, cluster.masterKeyVersion);
    }

    /**
     * Stores a database's first key, wrapped under {@code wrappedUnder}; empty, storing nothing, when a
     * rotation has made another master-key version current since. The cluster is read with a shared
     * lock: no rotation can make another version current (and later destroy this one) until the key is
     * stored. The unique key on database_key refuses a second first key (a duplicate-key failure).
     */
    @Transactional(TxType.REQUIRES_NEW)
    Optional<StoredDatabaseKey> insertFirst(String projectId, String clusterName, String databaseName,
                                            MasterKeyId wrappedUnder, byte[] wrappedKey) {
        ClusterEncryptionEntity cluster = encrypted(clusters.lockShared(projectId, clusterName), clusterName);
        if (cluster.masterKeyVersion != wrappedUnder.version()) {
            return Optional.empty();
        }
        DatabaseKeyEntity row = persistActive(projectId, clusterName, databaseName, FIRST_VERSION, wrappedUnder,
                wrappedKey);
        return Optional.of(new StoredDatabaseKey(row.version, row.masterKeyVersion, wrappedKey, wrappedUnder,
                row.createTime));
    }

    /**
     * Where a new version of a database's key goes: after its latest version (0 when it has none; a
     * version number is never reused), wrapped under the cluster's current master key. Refused like a
     * release when the cluster may not release keys.
     */
    @Transactional(TxType.REQUIRES_NEW)
    NextVersion nextVersion(String projectId, String clusterName, String databaseName) {
        ClusterEncryptionEntity cluster = encrypted(clusters.find(projectId, clusterName), clusterName);
        refuseWhileInvalid(projects.findByProjectId(projectId).orElseThrow());
        int latest = rows.findLatest(projectId, clusterName, databaseName).map(row -> row.version).orElse(0);
        return new NextVersion(latest, masterKeyId(projectId, clusterName, cluster.masterKeyVersion));
    }

    /**
     * Stores {@code version} of a database's key as its active one and retires the version it replaces;
     * empty, storing nothing, when a master-key rotation made another version current since. The same
     * shared lock of the cluster row as {@link #insertFirst}; the unique key refuses a version that
     * another rotation (or a first use) stored first (a duplicate-key failure), so two calls never make
     * the same version and the one that stored the highest version is the only active one.
     */
    @Transactional(TxType.REQUIRES_NEW)
    Optional<DatabaseKeyInfo> insertVersion(String projectId, String clusterName, String databaseName, int version,
                                            MasterKeyId wrappedUnder, byte[] wrappedKey) {
        ClusterEncryptionEntity cluster = encrypted(clusters.lockShared(projectId, clusterName), clusterName);
        refuseWhileInvalid(projects.findByProjectId(projectId).orElseThrow());
        if (cluster.masterKeyVersion != wrappedUnder.version()) {
            return Optional.empty();
        }
        DatabaseKeyEntity row = persistActive(projectId, clusterName, databaseName, version, wrappedUnder,
                wrappedKey);
        rows.retireActiveBelow(projectId, clusterName, databaseName, version, row.createTime);
        rotated.fire(new DatabaseKeyRotated(projectId, clusterName, databaseName));
        return Optional.of(row.toDomain());
    }

    private DatabaseKeyEntity persistActive(String projectId, String clusterName, String databaseName, int version,
                                            MasterKeyId wrappedUnder, byte[] wrappedKey) {
        DatabaseKeyEntity row = new DatabaseKeyEntity();
        row.projectId = projectId;
        row.clusterName = clusterName;
        row.databaseName = databaseName;
        row.version = version;
        row.state = KeyState.ACTIVE;
        row.masterKeyVersion = wrappedUnder.version();
        row.wrappedKey = wrappedKey;
        // As the column keeps it (DATETIME(6)): the key reads the same created time from memory and from the row.
        row.createTime = Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
        row.updateTime = row.createTime;
        rows.persist(row);
        rows.flush();
        return row;
    }

    /**
     * Master key {@code id} as stored now, with the root key wrapping it (secret unsealed: clear it after
     * the KMS call); empty when that version has been destroyed.
     */
    @Transactional(TxType.REQUIRES_NEW)
    Optional<WrappedMasterKeyRow> forOpening(MasterKeyId id) {
        return masterKeyRows.findVersion(id.projectId(), id.clusterName(), id.version())
                .filter(row -> row.wrappedKey != null)
                .map(row -> new WrappedMasterKeyRow(row, projectRows.rootKeyForGeneration(
                        projects.findByProjectId(id.projectId()).orElseThrow(), row.rootKeyGeneration)));
    }

    private MasterKeyId masterKeyId(String projectId, String clusterName, int version) {
        return MasterKeyId.of(masterKeyRows.findVersion(projectId, clusterName, version).orElseThrow(() ->
                new IllegalStateException("master-key version " + version + " of " + clusterName + " is missing")));
    }

    private static ClusterEncryptionEntity encrypted(Optional<ClusterEncryptionEntity> cluster, String clusterName) {
        return cluster.filter(row -> row.state == ClusterState.ENABLED)
                .orElseThrow(() -> new PreconditionFailedException(Reason.ENCRYPTION_AT_REST_NOT_ENABLED,
                        "cluster " + clusterName + " is not encrypted", Map.of("cluster_name", clusterName)));
    }

    /**
     * KMS has said the project's CMK cannot be used (KEY_INVALID): its clusters' keys are refused until
     * a later check finds it usable. Unreachability never gets here: it does not change {@code valid}.
     */
    private static void refuseWhileInvalid(ProjectEncryptionEntity project) {
        if (project.enabled && !project.valid) {
            String reason = project.validationError == null ? "unknown" : project.validationError;
            throw new PreconditionFailedException(Reason.ENCRYPTION_AT_REST_SETTINGS_INVALID,
                    "project " + project.projectId + "'s customer master key failed its last check (" + reason
                            + "); its clusters' keys are refused until a later successful check restores access",
                    Map.of("project_id", project.projectId, "kms_reason", reason));
        }
    }

    /** A database key's latest version (0: none yet) and the master key its next version is wrapped under. */
    record NextVersion(int latest, MasterKeyId wrapUnder) {}

    /** A stored master key and the root key that unwraps it. */
    record WrappedMasterKeyRow(MasterKeyEntity row, RootKeyConfig root) {}
}
