package dev.atrest.keyservice.app;

import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.crypto.KeyWrapper;
import dev.atrest.keyservice.domain.KeyState;
import dev.atrest.keyservice.domain.RootKeyConfig;
import dev.atrest.keyservice.store.ClusterEncryptionEntity;
import dev.atrest.keyservice.store.ClusterEncryptionRepository;
import dev.atrest.keyservice.store.DatabaseKeyEntity;
import dev.atrest.keyservice.store.DatabaseKeyRepository;
import dev.atrest.keyservice.store.MasterKeyEntity;
import dev.atrest.keyservice.store.MasterKeyRepository;
import dev.atrest.keyservice.store.ProjectEncryptionEntity;
import dev.atrest.keyservice.store.ProjectEncryptionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Stands in, in tests, for parts of the service built elsewhere: the rotation engine (new master-key
 * version, then re-wrap of every database key) and the CMK validation job. It writes the same rows the
 * real code will, under the same project lock, so snapshot and retention tests can reach every key state.
 */
@ApplicationScoped
public class RotationStandIn {
    @Inject ProjectEncryptionRepository projects;
    @Inject ClusterEncryptionRepository clusters;
    @Inject MasterKeyRepository masterKeyRows;
    @Inject DatabaseKeyRepository databaseKeyRows;
    @Inject ProjectRows projectRows;
    @Inject MasterKeys masterKeys;
    @Inject KeyWrapper wrapper;
    @Inject Clock clock;

    /** A rotation's first step: a new ACTIVE version becomes current, the old one RETIRED (decrypt-only). */
    @Transactional
    public int startRotation(String projectId, String clusterName) {
        ProjectEncryptionEntity project = projects.lockByProjectId(projectId).orElseThrow();
        ClusterEncryptionEntity cluster = clusters.find(projectId, clusterName).orElseThrow();
        MasterKeyEntity old = masterKeyRows.findVersion(projectId, clusterName, cluster.masterKeyVersion).orElseThrow();
        int next = masterKeyRows.listByCluster(projectId, clusterName).get(0).version + 1;
        Optional<RootKeyConfig> root = projectRows.rootKeyWithSecret(project);
        try {
            masterKeys.create(root.orElseThrow(), project.rootKeyGeneration, projectId, clusterName, next);
        } finally {
            Secrets.clear(root);
        }
        old.state = KeyState.RETIRED;
        old.updateTime = Instant.now(clock);
        cluster.masterKeyVersion = next;
        cluster.masterKeyActivatedTime = Instant.now(clock);
        masterKeyRows.flush();
        return next;
    }

    /** A rotation's second step: every live database key re-wrapped under the current master key. */
    @Transactional
    public void finishRotation(String projectId, String clusterName) {
        ProjectEncryptionEntity project = projects.lockByProjectId(projectId).orElseThrow();
        int current = clusters.find(projectId, clusterName).orElseThrow().masterKeyVersion;
        Optional<RootKeyConfig> root = projectRows.rootKeyWithSecret(project);
        try (KeyMaterial to = masterKeys.open(root.orElseThrow(), masterKey(projectId, clusterName, current))) {
            for (DatabaseKeyEntity key : databaseKeyRows.listByCluster(projectId, clusterName)) {
                if (key.state == KeyState.DESTROYED || key.masterKeyVersion == current) {
                    continue;
                }
                try (KeyMaterial from = masterKeys.open(root.get(), masterKey(projectId, clusterName, key.masterKeyVersion));
                     KeyMaterial plaintext = wrapper.unwrapKey(from, key.wrappedKey, DatabaseKeys.aad(key))) {
                    key.masterKeyVersion = current;
                    key.wrappedKey = wrapper.wrapKey(to, plaintext, DatabaseKeys.aad(key));
                    key.updateTime = Instant.now(clock);
                }
            }
        } finally {
            Secrets.clear(root);
        }
        databaseKeyRows.flush();
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
