package dev.atrest.keyservice.snapshot;

import dev.atrest.keyservice.domain.ClusterState;
import dev.atrest.keyservice.domain.InputRules;
import dev.atrest.keyservice.domain.KeyState;
import dev.atrest.keyservice.domain.NotFoundException;
import dev.atrest.keyservice.domain.PageTokens;
import dev.atrest.keyservice.domain.PreconditionFailedException;
import dev.atrest.keyservice.domain.PreconditionFailedException.Reason;
import dev.atrest.keyservice.domain.ResourceNames;
import dev.atrest.keyservice.domain.Snapshot;
import dev.atrest.keyservice.domain.Violations;
import dev.atrest.keyservice.rotation.KeyRetention;
import dev.atrest.keyservice.store.ClusterEncryptionEntity;
import dev.atrest.keyservice.store.ClusterEncryptionRepository;
import dev.atrest.keyservice.store.DatabaseKeyEntity;
import dev.atrest.keyservice.store.DatabaseKeyRepository;
import dev.atrest.keyservice.store.ProjectEncryptionRepository;
import dev.atrest.keyservice.store.SnapshotEntity;
import dev.atrest.keyservice.store.SnapshotRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Snapshots of encrypted clusters: register, read, list and release (restores: SnapshotRestores). */
@ApplicationScoped
public class Snapshots {
    private static final Logger LOG = Logger.getLogger(Snapshots.class);

    private final ProjectEncryptionRepository projects;
    private final ClusterEncryptionRepository clusters;
    private final DatabaseKeyRepository databaseKeyRows;
    private final SnapshotRepository rows;
    private final KeyRetention retention;
    private final Clock clock;

    Snapshots(ProjectEncryptionRepository projects, ClusterEncryptionRepository clusters,
              DatabaseKeyRepository databaseKeyRows, SnapshotRepository rows, KeyRetention retention, Clock clock) {
        this.projects = projects;
        this.clusters = clusters;
        this.databaseKeyRows = databaseKeyRows;
        this.rows = rows;
        this.retention = retention;
        this.clock = clock;
    }

    /** Records the key versions the cluster uses now; the same id again returns the stored snapshot. */
    @Transactional
    public Snapshot register(String projectId, String clusterName, String snapshotId) {
        ResourceNames.requireSnapshot(projectId, clusterName, snapshotId);
        // First statement of the transaction: a rotation or destroy cannot run between our reads and insert.
        projects.lockByProjectId(projectId);
        Optional<SnapshotEntity> existing = rows.find(projectId, clusterName, snapshotId);
        if (existing.isPresent()) {
            return existing.get().toDomain();
        }
        ClusterEncryptionEntity cluster = clusters.find(projectId, clusterName)
                .filter(row -> row.state == ClusterState.ENABLED)
                .orElseThrow(() -> new PreconditionFailedException(Reason.ENCRYPTION_AT_REST_NOT_ENABLED,
                        "cluster " + clusterName + " is not encrypted: there are no keys to snapshot",
                        Map.of("cluster_name", clusterName)));
        SnapshotEntity row = new SnapshotEntity();
        row.projectId = projectId;
        row.clusterName = clusterName;
        row.snapshotId = snapshotId;
        row.masterKeyVersion = cluster.masterKeyVersion;
        row.createTime = Instant.now(clock);
        for (DatabaseKeyEntity key : databaseKeyRows.listByCluster(projectId, clusterName)) {
            if (key.state != KeyState.DESTROYED) {
                row.databaseKeyVersions.merge(key.databaseName, key.version, Math::max);
            }
        }
        rows.persist(row);
        rows.flush();
        LOG.infof("cluster %s/%s: snapshot %s registered under master key version %d and %d database keys",
                projectId, clusterName, snapshotId, row.masterKeyVersion, row.databaseKeyVersions.size());
        return row.toDomain();
    }

    @Transactional
    public Snapshot get(String projectId, String clusterName, String snapshotId) {
        ResourceNames.requireSnapshot(projectId, clusterName, snapshotId);
        return find(projectId, clusterName, snapshotId).toDomain();
    }

    @Transactional
    public SnapshotPage list(String projectId, String clusterName, int pageSize, String pageToken) {
        Violations violations = new Violations();
        InputRules.requireId(violations, "project_id", projectId);
        InputRules.requireId(violations, "cluster_name", clusterName);
        int size = PageTokens.size(violations, pageSize);
        Optional<SnapshotPage.After> after = SnapshotPage.decodeToken(pageToken, violations);
        violations.throwIfAny();
        List<SnapshotEntity> page = after
                .map(a -> rows.pageAfter(projectId, clusterName, a.createTime(), a.snapshotId(), size + 1))
                .orElseGet(() -> rows.firstPage(projectId, clusterName, size + 1));
        return SnapshotPage.of(page.stream().map(SnapshotEntity::toDomain).toList(), size);
    }

    /** Deletes the snapshot and destroys the key versions only it held back. Releasing twice is harmless. */
    @Transactional
    public SnapshotRelease release(String projectId, String clusterName, String snapshotId) {
        ResourceNames.requireSnapshot(projectId, clusterName, snapshotId);
        projects.lockByProjectId(projectId);
        Optional<SnapshotEntity> existing = rows.find(projectId, clusterName, snapshotId);
        if (existing.isEmpty()) {
            return new SnapshotRelease(false, List.of());
        }
        rows.delete(existing.get());
        rows.flush();
        LOG.infof("cluster %s/%s: snapshot %s released", projectId, clusterName, snapshotId);
        return new SnapshotRelease(true, retention.sweep(projectId, clusterName));
    }

    SnapshotEntity find(String projectId, String clusterName, String snapshotId) {
        return rows.find(projectId, clusterName, snapshotId).orElseThrow(() -> new NotFoundException(
                "snapshot " + snapshotId + " of cluster " + clusterName + " is not registered"));
    }

}
