package dev.atrest.keyservice.rotation;

import dev.atrest.keyservice.audit.AuditEvent;
import dev.atrest.keyservice.audit.AuditLog;
import dev.atrest.keyservice.domain.KeyLifecycle;
import dev.atrest.keyservice.domain.KeyState;
import dev.atrest.keyservice.domain.KeyVersionUse;
import dev.atrest.keyservice.domain.LifecycleDecision;
import dev.atrest.keyservice.masterkey.KeyAccessChanged;
import dev.atrest.keyservice.store.ClusterEncryptionEntity;
import dev.atrest.keyservice.store.ClusterEncryptionRepository;
import dev.atrest.keyservice.store.DatabaseKeyBatches;
import dev.atrest.keyservice.store.MasterKeyEntity;
import dev.atrest.keyservice.store.MasterKeyRepository;
import dev.atrest.keyservice.store.ProjectEncryptionRepository;
import dev.atrest.keyservice.store.SnapshotRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Destroys the retired master-key versions of a cluster that nothing needs any more: no live database
 * key is wrapped by them and no live snapshot recorded them. Destroying erases the wrapped key and keeps
 * the row, so the version number is never reused and the history stays readable.
 */
@ApplicationScoped
public class KeyRetention {
    private static final Logger LOG = Logger.getLogger(KeyRetention.class);

    private final ProjectEncryptionRepository projects;
    private final ClusterEncryptionRepository clusters;
    private final MasterKeyRepository masterKeyRows;
    private final DatabaseKeyBatches batches;
    private final SnapshotRepository snapshots;
    private final Event<KeyAccessChanged> keyAccessChanged;
    private final Clock clock;
    private final AuditLog audit;

    KeyRetention(ProjectEncryptionRepository projects, ClusterEncryptionRepository clusters,
                 MasterKeyRepository masterKeyRows, DatabaseKeyBatches batches,
                 SnapshotRepository snapshots, Event<KeyAccessChanged> keyAccessChanged, Clock clock,
                 AuditLog audit) {
        this.projects = projects;
        this.clusters = clusters;
        this.masterKeyRows = masterKeyRows;
        this.batches = batches;
        this.snapshots = snapshots;
        this.keyAccessChanged = keyAccessChanged;
        this.clock = clock;
        this.audit = audit;
    }

    /**
     * Destroys what may go and returns it, e.g. ["master_key:1"]; harmless to run twice. Runs in the
     * caller's transaction (a rotation's last step, a snapshot release), so the destruction commits or
     * rolls back with the change that freed the key.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> sweep(String projectId, String clusterName) {
        // Callers normally hold it already (re-locking is free); it keeps a snapshot from being registered
        // under a version between our reading the snapshots and erasing the key.
        projects.lockByProjectId(projectId);
        Optional<ClusterEncryptionEntity> cluster = clusters.find(projectId, clusterName);
        if (cluster.isEmpty()) {
            return List.of();
        }
        List<MasterKeyEntity> masters = masterKeyRows.listByCluster(projectId, clusterName);
        // Counted by the database: a cluster may have 100,000 database keys, and only the counts matter here.
        Map<Integer, Long> wrapped = batches.countByWrappingVersion(projectId, clusterName);
        List<String> destroyed = new ArrayList<>();
        for (MasterKeyEntity row : masters) {
            KeyVersionUse use = new KeyVersionUse(row.state, row.version == cluster.get().masterKeyVersion,
                    wrapped.getOrDefault(row.version, 0L).intValue(),
                    snapshots.idsNeedingMasterKey(projectId, clusterName, row.version));
            if (row.state == KeyState.RETIRED && mayDestroy(use, row)) {
                destroy(row);
                destroyed.add("master_key:" + row.version);
            }
        }
        if (!destroyed.isEmpty()) {
            masterKeyRows.flush();
            keyAccessChanged.fire(new KeyAccessChanged(projectId));
        }
        return destroyed;
    }

    private boolean mayDestroy(KeyVersionUse use, MasterKeyEntity row) {
        LifecycleDecision decision = KeyLifecycle.destroy(use);
        if (!decision.mayProceed()) {
            // Being needed is the normal state of a retired key, not a failure.
            LOG.debugf("cluster %s/%s: master key version %d kept: %s", row.projectId, row.clusterName, row.version,
                    decision.reason());
        }
        return decision.mayProceed();
    }

    private void destroy(MasterKeyEntity row) {
        row.wrappedKey = null;
        row.state = KeyState.DESTROYED;
        row.updateTime = Instant.now(clock);
        LOG.infof("cluster %s/%s: master key version %d destroyed: nothing needs it any more",
                row.projectId, row.clusterName, row.version);
        audit.recordOnCommit(AuditEvent.byService("master_key.destroyed", AuditEvent.cluster(row.projectId,
                row.clusterName), "OK", "master key version " + row.version + ": nothing needs it any more"));
    }
}
