package dev.atrest.keyservice.rotation;

import dev.atrest.keyservice.crypto.Aad;
import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.crypto.KeyWrapper;
import dev.atrest.keyservice.domain.ClusterEncryption;
import dev.atrest.keyservice.domain.ClusterState;
import dev.atrest.keyservice.domain.KeyRing;
import dev.atrest.keyservice.domain.KeyState;
import dev.atrest.keyservice.domain.RootKeyConfig;
import dev.atrest.keyservice.domain.RotationStatus;
import dev.atrest.keyservice.domain.RotationStep;
import dev.atrest.keyservice.kms.Secrets;
import dev.atrest.keyservice.kms.WrappedMasterKey;
import dev.atrest.keyservice.masterkey.KeyAccessChanged;
import dev.atrest.keyservice.masterkey.MasterKeys;
import dev.atrest.keyservice.masterkey.OpenMasterKeys;
import dev.atrest.keyservice.store.ClusterEncryptionEntity;
import dev.atrest.keyservice.store.ClusterEncryptionRepository;
import dev.atrest.keyservice.store.DatabaseKeyBatches;
import dev.atrest.keyservice.store.JobLock;
import dev.atrest.keyservice.store.MasterKeyEntity;
import dev.atrest.keyservice.store.MasterKeyRepository;
import dev.atrest.keyservice.store.ProjectEncryptionEntity;
import dev.atrest.keyservice.store.ProjectEncryptionRepository;
import dev.atrest.keyservice.store.ProjectRows;
import dev.atrest.keyservice.store.WrappedDatabaseKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The durable steps of a master-key rotation ({@link RotationStep} says what each does to the stored
 * hierarchy), each in a transaction of its own so that a crash between any two leaves a hierarchy in
 * which every database key unwraps, and the next run carries on from what it finds. Each step that
 * writes is fenced by the cluster's rotation lock ({@link JobLock#fence()}): a run whose lock was taken
 * over commits nothing more.
 */
@ApplicationScoped
class RotationSteps {
    private final ProjectEncryptionRepository projects;
    private final ClusterEncryptionRepository clusters;
    private final MasterKeyRepository masterKeyRows;
    private final DatabaseKeyBatches batches;
    private final ProjectRows projectRows;
    private final MasterKeys masterKeys;
    private final KeyWrapper wrapper;
    private final KeyRetention retention;
    private final Event<KeyAccessChanged> keyAccessChanged;
    private final Clock clock;

    RotationSteps(ProjectEncryptionRepository projects, ClusterEncryptionRepository clusters,
                  MasterKeyRepository masterKeyRows, DatabaseKeyBatches batches, ProjectRows projectRows,
                  MasterKeys masterKeys, KeyWrapper wrapper, KeyRetention retention,
                  Event<KeyAccessChanged> keyAccessChanged, Clock clock) {
        this.projects = projects;
        this.clusters = clusters;
        this.masterKeyRows = masterKeyRows;
        this.batches = batches;
        this.projectRows = projectRows;
        this.masterKeys = masterKeys;
        this.wrapper = wrapper;
        this.retention = retention;
        this.keyAccessChanged = keyAccessChanged;
        this.clock = clock;
    }

    @Transactional(TxType.REQUIRES_NEW)
    Optional<ClusterEncryption> cluster(String projectId, String clusterName) {
        return clusters.find(projectId, clusterName).map(ClusterEncryptionEntity::toDomain);
    }

    /** Clusters a rotation check looks at: the encrypted ones, and any whose re-wrap is unfinished. */
    @Transactional(TxType.REQUIRES_NEW)
    List<ClusterRef> candidates() {
        return clusters.rotationCandidates().stream()
                .map(row -> new ClusterRef(row.projectId, row.clusterName)).toList();
    }

    @Transactional(TxType.REQUIRES_NEW)
    RotationStatus status(String projectId, String clusterName) {
        Optional<ClusterEncryptionEntity> row = clusters.find(projectId, clusterName);
        ClusterEncryption cluster = row.map(ClusterEncryptionEntity::toDomain)
                .orElseGet(() -> ClusterEncryption.neverConfigured(projectId, clusterName));
        DatabaseKeyBatches.KeyCounts counts = batches.count(projectId, clusterName, cluster.masterKeyVersion());
        return new RotationStatus(projectId, clusterName, cluster.rotationInProgress(), cluster.masterKeyVersion(),
                counts.wrappedByVersion(), counts.total(),
                row.map(r -> r.rotationStartedTime).orElse(null), cluster.lastRotationTime(),
                cluster.nextRotationTime(), cluster.rotationPolicy(), row.map(r -> r.rotationError).orElse(null));
    }

    /** What a rotation of the cluster would start from now; empty when the cluster is not encrypted. */
    @Transactional(TxType.REQUIRES_NEW)
    Optional<RotationStart> read(String projectId, String clusterName) {
        return clusters.find(projectId, clusterName).map(cluster -> {
            ProjectEncryptionEntity project = projects.findByProjectId(projectId).orElseThrow();
            boolean canStart = cluster.state == ClusterState.ENABLED && cluster.rotationStartedTime == null;
            return new RotationStart(cluster.toDomain(), project.rootKeyGeneration,
                    canStart ? projectRows.rootKeyWithSecret(project) : Optional.empty());
        });
    }

    /**
     * The create step: stores the generated key as version {@code fromVersion + 1}, ACTIVE, retires the
     * previous version and makes the new one current, all at once, and marks the re-wrap started.
     * False (nothing stored) when the cluster or the project's root key moved since {@link #read}.
     */
    @Transactional(TxType.REQUIRES_NEW)
    boolean activate(String projectId, String clusterName, int fromVersion, int rootKeyGeneration,
                     RootKeyConfig root, WrappedMasterKey generated, JobLock lock) {
        ProjectEncryptionEntity project = projects.lockByProjectId(projectId).orElseThrow();
        ClusterEncryptionEntity cluster = clusters.lock(projectId, clusterName).orElseThrow();
        if (project.rootKeyGeneration != rootKeyGeneration || cluster.masterKeyVersion != fromVersion
                || cluster.state != ClusterState.ENABLED || cluster.rotationStartedTime != null) {
            return false;
        }
        List<MasterKeyEntity> stored = masterKeyRows.listByCluster(projectId, clusterName);
        int version = fromVersion + 1;
        KeyRing after = new RotationStep.CreateMasterKey(version).applyTo(ringOf(stored, fromVersion));
        Instant now = Instant.now(clock);
        for (MasterKeyEntity row : stored) {
            if (row.state != after.masterKeys().get(row.version)) {
                row.state = after.masterKeys().get(row.version);
                row.updateTime = now;
            }
        }
        masterKeyRows.persist(masterKeys.newRow(projectId, clusterName, version, root, rootKeyGeneration, generated));
        cluster.masterKeyVersion = version;
        cluster.masterKeyActivatedTime = now;
        cluster.rotationStartedTime = now;
        cluster.rotationError = null;
        clusters.flush();
        lock.fence();
        return true;
    }

    /** The older master-key versions that still wrap live database keys: what a re-wrap must move off. */
    @Transactional(TxType.REQUIRES_NEW)
    List<Integer> versionsWrappingBefore(String projectId, String clusterName, int version) {
        return batches.countByWrappingVersion(projectId, clusterName).keySet().stream()
                .filter(v -> v < version).sorted().toList();
    }

    /**
     * Opens the master-key versions a re-wrap moves keys between before its chunks run, each read in a
     * transaction of its own and unwrapped by KMS outside any: no chunk holds a pooled connection while KMS
     * answers, so a slow KMS costs the rotations time, not the service its connections.
     */
    void openVersions(String projectId, String clusterName, List<Integer> versions, OpenMasterKeys open) {
        for (int wanted : versions) {
            open.get(wanted, version -> {
                VersionToOpen stored = versionToOpen(projectId, clusterName, version);
                try {
                    return masterKeys.open(stored.root(), stored.row());
                } finally {
                    Secrets.clear(stored.root());
                }
            });
        }
    }

    @Transactional(TxType.REQUIRES_NEW)
    VersionToOpen versionToOpen(String projectId, String clusterName, int version) {
        ProjectEncryptionEntity project = projects.findByProjectId(projectId).orElseThrow();
        MasterKeyEntity row = masterKeyRows.findVersion(projectId, clusterName, version).orElseThrow(() ->
                new IllegalStateException("master-key version " + version + " of " + clusterName + " is missing"));
        return new VersionToOpen(projectRows.rootKeyForGeneration(project, row.rootKeyGeneration), row);
    }

    /**
     * Re-wraps up to {@code limit} database keys wrapped by {@code fromVersion} (those with an id above
     * {@code afterId}) under {@code toVersion}. The keys themselves do not change.
     */
    @Transactional(TxType.REQUIRES_NEW)
    RewrapChunk rewrapChunk(String projectId, String clusterName, int fromVersion, int toVersion, long afterId,
                            int limit, OpenMasterKeys open, JobLock lock) {
        List<WrappedDatabaseKey> read = batches.wrappedBy(projectId, clusterName, fromVersion, afterId, limit);
        if (read.isEmpty()) {
            return new RewrapChunk(0, afterId);
        }
        ProjectEncryptionEntity project = projects.findByProjectId(projectId).orElseThrow();
        KeyMaterial target = open.get(toVersion, version -> openVersion(project, clusterName, version));
        List<byte[]> rewrapped = new ArrayList<>(read.size());
        for (WrappedDatabaseKey key : read) {
            KeyMaterial source = open.get(key.masterKeyVersion(), version -> openVersion(project, clusterName, version));
            // The AAD names the wrapping master-key version, so it is recomputed for the new one.
            byte[] fromAad = aad(projectId, clusterName, key, key.masterKeyVersion());
            try (KeyMaterial databaseKey = wrapper.unwrapKey(source, key.wrappedKey(), fromAad)) {
                rewrapped.add(wrapper.wrapKey(target, databaseKey, aad(projectId, clusterName, key, toVersion)));
            }
        }
        int changed = batches.rewrap(read, rewrapped, toVersion, Instant.now(clock));
        lock.fence();
        return new RewrapChunk(changed, read.get(read.size() - 1).id());
    }

    /**
     * The finish step: records the rotation finished, unless some live database key is still wrapped by
     * an older version (e.g. one created under it just before the new version became current), in which
     * case it stores nothing and says so.
     */
    @Transactional(TxType.REQUIRES_NEW)
    boolean finish(String projectId, String clusterName, int version, JobLock lock) {
        projects.lockByProjectId(projectId).orElseThrow();
        ClusterEncryptionEntity cluster = clusters.lock(projectId, clusterName).orElseThrow();
        if (cluster.masterKeyVersion != version || cluster.rotationStartedTime == null) {
            return true; // finished already (a replay), or superseded: nothing left for this run
        }
        DatabaseKeyBatches.KeyCounts counts = batches.count(projectId, clusterName, version);
        if (counts.wrappedByVersion() != counts.total()) {
            return false;
        }
        cluster.rotationStartedTime = null;
        cluster.lastRotationTime = Instant.now(clock);
        cluster.rotationError = null;
        clusters.flush();
        lock.fence();
        keyAccessChanged.fire(new KeyAccessChanged(projectId)); // every key is wrapped by the new version now
        // The retired versions now wrap nothing: each goes unless a live snapshot still needs it.
        retention.sweep(projectId, clusterName);
        return true;
    }

    /** Why the last attempt failed, for the status RPC; the next run clears it. */
    @Transactional(TxType.REQUIRES_NEW)
    void recordError(String projectId, String clusterName, String error) {
        clusters.find(projectId, clusterName).ifPresent(cluster -> cluster.rotationError = error);
    }

    private KeyMaterial openVersion(ProjectEncryptionEntity project, String clusterName, int version) {
        MasterKeyEntity row = masterKeyRows.findVersion(project.projectId, clusterName, version).orElseThrow(() ->
                new IllegalStateException("master-key version " + version + " of " + clusterName + " is missing"));
        return masterKeys.open(project, row);
    }

    private static byte[] aad(String projectId, String clusterName, WrappedDatabaseKey key, int masterKeyVersion) {
        return Aad.forDatabaseKey(projectId, clusterName, key.databaseName(), key.version(), masterKeyVersion);
    }

    private static KeyRing ringOf(List<MasterKeyEntity> stored, int currentVersion) {
        SortedMap<Integer, KeyState> states = new TreeMap<>();
        stored.forEach(row -> states.put(row.version, row.state));
        return new KeyRing(currentVersion, states, new TreeMap<>(Map.of()));
    }

    /**
     * @param root the project's root key with its secret, when a new version may be created; clear it
     */
    record RotationStart(ClusterEncryption cluster, int rootKeyGeneration,
                         Optional<RootKeyConfig> root) {}

    record ClusterRef(String projectId, String clusterName) {}

    /** @param root the root key wrapping {@code row}, with its secret; clear it */
    record VersionToOpen(RootKeyConfig root, MasterKeyEntity row) {}

    /** @param lastId the last database-key id read, where the next chunk starts */
    record RewrapChunk(int rewrapped, long lastId) {}
}
