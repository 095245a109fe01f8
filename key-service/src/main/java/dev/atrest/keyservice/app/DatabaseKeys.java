package dev.atrest.keyservice.app;

import dev.atrest.keyservice.crypto.Aad;
import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.crypto.KeyWrapper;
import dev.atrest.keyservice.domain.ClusterState;
import dev.atrest.keyservice.domain.InputRules;
import dev.atrest.keyservice.domain.KeyState;
import dev.atrest.keyservice.domain.PreconditionFailedException;
import dev.atrest.keyservice.domain.PreconditionFailedException.Reason;
import dev.atrest.keyservice.domain.Violations;
import dev.atrest.keyservice.store.ClusterEncryptionEntity;
import dev.atrest.keyservice.store.ClusterEncryptionRepository;
import dev.atrest.keyservice.store.DatabaseKeyEntity;
import dev.atrest.keyservice.store.DatabaseKeyRepository;
import dev.atrest.keyservice.store.MasterKeyEntity;
import dev.atrest.keyservice.store.MasterKeyRepository;
import dev.atrest.keyservice.store.ProjectEncryptionEntity;
import dev.atrest.keyservice.store.ProjectEncryptionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Database keys: created on first use, stored only wrapped under the cluster's current master key,
 * with AAD naming project, cluster, database, key version and master-key version.
 */
@ApplicationScoped
public class DatabaseKeys {
    private final ProjectEncryptionRepository projects;
    private final ClusterEncryptionRepository clusters;
    private final MasterKeyRepository masterKeyRows;
    private final DatabaseKeyRepository rows;
    private final MasterKeys masterKeys;
    private final KeyWrapper wrapper;
    private final SecureRandom random;
    private final Clock clock;

    DatabaseKeys(ProjectEncryptionRepository projects, ClusterEncryptionRepository clusters,
                 MasterKeyRepository masterKeyRows, DatabaseKeyRepository rows,
                 MasterKeys masterKeys, KeyWrapper wrapper, SecureRandom random, Clock clock) {
        this.projects = projects;
        this.clusters = clusters;
        this.masterKeyRows = masterKeyRows;
        this.rows = rows;
        this.masterKeys = masterKeys;
        this.wrapper = wrapper;
        this.random = random;
        this.clock = clock;
    }

    /** The database's current key, created under the active master key if it has none. Caller closes it. */
    @Transactional
    public ReleasedDatabaseKey getOrCreate(String projectId, String clusterName, String databaseName) {
        Violations violations = new Violations();
        InputRules.requireId(violations, "project_id", projectId);
        InputRules.requireId(violations, "cluster_name", clusterName);
        InputRules.requireId(violations, "database_name", databaseName);
        violations.throwIfAny();
        Optional<DatabaseKeyEntity> existing = rows.findLatest(projectId, clusterName, databaseName);
        // A new key goes under the version read with a shared lock: a rotation cannot make another
        // version current (and later destroy this one) until the new key is stored.
        ClusterEncryptionEntity cluster = (existing.isPresent()
                ? clusters.find(projectId, clusterName) : clusters.lockShared(projectId, clusterName))
                .filter(row -> row.state == ClusterState.ENABLED)
                .orElseThrow(() -> new PreconditionFailedException(Reason.ENCRYPTION_AT_REST_NOT_ENABLED,
                        "cluster " + clusterName + " is not encrypted", Map.of("cluster_name", clusterName)));
        ProjectEncryptionEntity project = projects.findByProjectId(projectId).orElseThrow();
        MasterKeyEntity masterKey = masterKeyRows.findVersion(projectId, clusterName,
                existing.map(row -> row.masterKeyVersion).orElse(cluster.masterKeyVersion)).orElseThrow();
        try (KeyMaterial kek = masterKeys.open(project, masterKey)) {
            DatabaseKeyEntity row = existing.orElseGet(() -> create(kek, masterKey, databaseName));
            KeyMaterial key = wrapper.unwrapKey(kek, row.wrappedKey, aad(row));
            return new ReleasedDatabaseKey(key, row.version, row.masterKeyVersion);
        }
    }

    private DatabaseKeyEntity create(KeyMaterial kek, MasterKeyEntity masterKey, String databaseName) {
        DatabaseKeyEntity row = new DatabaseKeyEntity();
        row.projectId = masterKey.projectId;
        row.clusterName = masterKey.clusterName;
        row.databaseName = databaseName;
        row.version = 1;
        row.state = KeyState.ACTIVE;
        row.masterKeyVersion = masterKey.version;
        row.createTime = Instant.now(clock);
        row.updateTime = row.createTime;
        try (KeyMaterial key = KeyMaterial.generate(random)) {
            row.wrappedKey = wrapper.wrapKey(kek, key, aad(row));
        }
        rows.persist(row);
        rows.flush();
        return row;
    }

    static byte[] aad(DatabaseKeyEntity row) {
        return Aad.forDatabaseKey(row.projectId, row.clusterName, row.databaseName, row.version, row.masterKeyVersion);
    }
}
