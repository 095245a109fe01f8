package dev.atrest.keyservice.cluster;

import dev.atrest.keyservice.domain.ClusterEncryption;
import dev.atrest.keyservice.domain.ClusterKeys;
import dev.atrest.keyservice.domain.ClusterState;
import dev.atrest.keyservice.domain.EncryptionRules;
import dev.atrest.keyservice.domain.Etags;
import dev.atrest.keyservice.domain.InputRules;
import dev.atrest.keyservice.domain.KeyState;
import dev.atrest.keyservice.domain.PageTokens;
import dev.atrest.keyservice.domain.Provider;
import dev.atrest.keyservice.domain.ResourceNames;
import dev.atrest.keyservice.domain.RootKeyConfig;
import dev.atrest.keyservice.domain.RotationPolicy;
import dev.atrest.keyservice.domain.Violations;
import dev.atrest.keyservice.kms.Secrets;
import dev.atrest.keyservice.masterkey.KeyAccessChanged;
import dev.atrest.keyservice.masterkey.MasterKeys;
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
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Clusters' encryption: read, list, set provider, and inspect the key hierarchy. */
@ApplicationScoped
public class Clusters {
    private static final Logger LOG = Logger.getLogger(Clusters.class);

    private final ProjectEncryptionRepository projects;
    private final ClusterEncryptionRepository clusters;
    private final MasterKeyRepository masterKeyRows;
    private final DatabaseKeyRepository databaseKeyRows;
    private final ProjectRows projectRows;
    private final MasterKeys masterKeys;
    private final Event<KeyAccessChanged> keyAccessChanged;
    private final Clock clock;

    Clusters(ProjectEncryptionRepository projects, ClusterEncryptionRepository clusters,
             MasterKeyRepository masterKeyRows, DatabaseKeyRepository databaseKeyRows, ProjectRows projectRows,
             MasterKeys masterKeys, Event<KeyAccessChanged> keyAccessChanged, Clock clock) {
        this.projects = projects;
        this.clusters = clusters;
        this.masterKeyRows = masterKeyRows;
        this.databaseKeyRows = databaseKeyRows;
        this.projectRows = projectRows;
        this.masterKeys = masterKeys;
        this.keyAccessChanged = keyAccessChanged;
        this.clock = clock;
    }

    @Transactional
    public ClusterEncryption get(String projectId, String clusterName) {
        ResourceNames.requireCluster(projectId, clusterName);
        return clusters.find(projectId, clusterName).map(ClusterEncryptionEntity::toDomain)
                .orElseGet(() -> ClusterEncryption.neverConfigured(projectId, clusterName));
    }

    @Transactional
    public ClusterPage list(String projectId, int pageSize, String pageToken) {
        Violations violations = new Violations();
        InputRules.requireId(violations, "project_id", projectId);
        int size = PageTokens.size(violations, pageSize);
        String after = ClusterPage.decodeToken(pageToken, violations);
        violations.throwIfAny();
        List<ClusterEncryptionEntity> rows = clusters.page(projectId, after, size + 1);
        return ClusterPage.of(rows.stream().map(ClusterEncryptionEntity::toDomain).toList(), size);
    }

    /** Sets the provider; AWS/LOCAL creates the master key on first enable, NONE disables. */
    @Transactional
    public ClusterEncryption set(String projectId, String clusterName, Provider requested, String etag,
                                 int rotationPeriodDays) {
        Violations violations = new Violations();
        InputRules.requireId(violations, "project_id", projectId);
        InputRules.requireId(violations, "cluster_name", clusterName);
        if (requested == null) {
            violations.add("encryption_at_rest_provider", "is required: AWS, LOCAL or NONE");
        }
        if (rotationPeriodDays != 0) {
            RotationPolicy.check(violations, RotationPolicy.FIELD, rotationPeriodDays);
        }
        violations.throwIfAny();
        Optional<ProjectEncryptionEntity> project = projects.lockByProjectId(projectId);
        Optional<ClusterEncryptionEntity> existing = clusters.find(projectId, clusterName);
        Etags.check(etag, existing.map(row -> row.rowVersion).orElse(0L), "cluster " + clusterName);
        ClusterEncryption current = existing.map(ClusterEncryptionEntity::toDomain)
                .orElseGet(() -> ClusterEncryption.neverConfigured(projectId, clusterName));
        if (requested == Provider.NONE) {
            Optional<ClusterEncryptionEntity> row = existing.isEmpty() && rotationPeriodDays != 0 && project.isPresent()
                    ? Optional.of(persistDisabled(projectId, clusterName)) : existing;
            row.ifPresent(r -> setRotationPeriod(r, rotationPeriodDays));
            return row.filter(r -> r.state == ClusterState.ENABLED).map(this::disable)
                    .or(() -> row.map(ClusterEncryptionEntity::toDomain)).orElse(current);
        }
        EncryptionRules.checkClusterProviderChange(current, requested);
        if (current.encrypted()) {
            // Already encrypted with this provider: no new keys; at most a new rotation period.
            setRotationPeriod(existing.orElseThrow(), rotationPeriodDays);
            return existing.get().toDomain();
        }
        EncryptionRules.checkClusterMayEnable(project.map(ProjectRows::toDomain).orElse(null), requested);
        ClusterEncryptionEntity row = existing.orElseGet(() -> newRow(projectId, clusterName));
        if (rotationPeriodDays != 0) {
            row.rotationPeriodDays = rotationPeriodDays;
        }
        return enable(project.orElseThrow(), row, requested);
    }

    private void setRotationPeriod(ClusterEncryptionEntity row, int rotationPeriodDays) {
        if (rotationPeriodDays != 0 && row.rotationPeriodDays != rotationPeriodDays) {
            row.rotationPeriodDays = rotationPeriodDays;
            row.updateTime = Instant.now(clock);
            clusters.flush();
            LOG.infof("cluster %s/%s: master keys now rotate every %d days", row.projectId, row.clusterName,
                    rotationPeriodDays);
        }
    }

    @Transactional
    public ClusterKeys keys(String projectId, String clusterName) {
        ResourceNames.requireCluster(projectId, clusterName);
        return new ClusterKeys(
                masterKeyRows.listByCluster(projectId, clusterName).stream().map(MasterKeyEntity::toDomain).toList(),
                databaseKeyRows.listByCluster(projectId, clusterName).stream().map(DatabaseKeyEntity::toDomain).toList());
    }

    private ClusterEncryption enable(ProjectEncryptionEntity project, ClusterEncryptionEntity row, Provider provider) {
        Instant now = Instant.now(clock);
        if (row.id == null) {
            clusters.persist(row);
            clusters.flush(); // the master key row references it
        }
        Optional<MasterKeyEntity> active = masterKeyRows.findVersion(row.projectId, row.clusterName, row.masterKeyVersion)
                .filter(key -> key.state == KeyState.ACTIVE);
        if (active.isEmpty()) {
            Optional<RootKeyConfig> root = projectRows.rootKeyWithSecret(project);
            try {
                int version = row.masterKeyVersion + 1;
                MasterKeyEntity created = masterKeys.create(root.orElseThrow(), project.rootKeyGeneration,
                        row.projectId, row.clusterName, version);
                row.masterKeyVersion = version;
                row.masterKeyActivatedTime = created.createTime;
            } finally {
                Secrets.clear(root);
            }
        }
        row.provider = provider;
        row.encryptionGeneration = EncryptionRules.generationAfterEnable(row.state == ClusterState.ENABLED,
                row.encryptionGeneration);
        row.state = ClusterState.ENABLED;
        row.updateTime = now;
        clusters.flush();
        LOG.infof("cluster %s/%s: encryption at rest enabled with %s, master key version %d",
                row.projectId, row.clusterName, provider, row.masterKeyVersion);
        return row.toDomain();
    }

    private ClusterEncryption disable(ClusterEncryptionEntity row) {
        row.provider = Provider.NONE;
        row.state = ClusterState.DISABLED;
        row.updateTime = Instant.now(clock);
        clusters.flush();
        keyAccessChanged.fire(new KeyAccessChanged(row.projectId));
        LOG.infof("cluster %s/%s: encryption at rest disabled; its keys are kept", row.projectId, row.clusterName);
        return row.toDomain();
    }

    /** A cluster set to NONE with a rotation period before it was ever encrypted: the period is kept for later. */
    private ClusterEncryptionEntity persistDisabled(String projectId, String clusterName) {
        ClusterEncryptionEntity row = newRow(projectId, clusterName);
        clusters.persist(row);
        return row;
    }

    private ClusterEncryptionEntity newRow(String projectId, String clusterName) {
        ClusterEncryptionEntity row = new ClusterEncryptionEntity();
        row.projectId = projectId;
        row.clusterName = clusterName;
        row.provider = Provider.NONE;
        row.state = ClusterState.DISABLED;
        row.createTime = Instant.now(clock);
        row.updateTime = row.createTime;
        return row;
    }

}
