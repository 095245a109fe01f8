package dev.atrest.keyservice.app;

import dev.atrest.keyservice.domain.AwsKmsSettings;
import dev.atrest.keyservice.domain.EncryptionRules;
import dev.atrest.keyservice.domain.Etags;
import dev.atrest.keyservice.domain.InputRules;
import dev.atrest.keyservice.domain.NotFoundException;
import dev.atrest.keyservice.domain.ProjectEncryption;
import dev.atrest.keyservice.domain.ProjectEncryptionUpdate;
import dev.atrest.keyservice.domain.RootKeyConfig;
import dev.atrest.keyservice.domain.Violations;
import dev.atrest.keyservice.kms.AwsClients;
import dev.atrest.keyservice.kms.RootKeys;
import dev.atrest.keyservice.store.ClusterEncryptionRepository;
import dev.atrest.keyservice.store.MasterKeyEntity;
import dev.atrest.keyservice.store.MasterKeyRepository;
import dev.atrest.keyservice.store.ProjectEncryptionEntity;
import dev.atrest.keyservice.store.ProjectEncryptionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/** A project's encryption configuration: read, upsert, disable, validate. */
@ApplicationScoped
public class Projects {
    private static final Logger LOG = Logger.getLogger(Projects.class);
    private static final InputRules RULES = new InputRules(AwsClients::isKnownRegion);

    private final ProjectEncryptionRepository projects;
    private final ClusterEncryptionRepository clusters;
    private final MasterKeyRepository masterKeyRows;
    private final ProjectRows rows;
    private final MasterKeys masterKeys;
    private final RootKeys rootKeys;
    private final KeyHealth keyHealth;
    private final Clock clock;

    Projects(ProjectEncryptionRepository projects, ClusterEncryptionRepository clusters,
             MasterKeyRepository masterKeyRows, ProjectRows rows, MasterKeys masterKeys, RootKeys rootKeys,
             KeyHealth keyHealth, Clock clock) {
        this.projects = projects;
        this.clusters = clusters;
        this.masterKeyRows = masterKeyRows;
        this.rows = rows;
        this.masterKeys = masterKeys;
        this.rootKeys = rootKeys;
        this.keyHealth = keyHealth;
        this.clock = clock;
    }

    @Transactional
    public ProjectEncryption get(String projectId) {
        requireProjectId("project_id", projectId);
        return projects.findByProjectId(projectId).map(ProjectRows::toDomain)
                .orElseThrow(() -> notFound(projectId));
    }

    @Transactional
    public ProjectEncryption update(ProjectEncryptionUpdate update) {
        update.check(RULES);
        Optional<ProjectEncryptionEntity> existing = projects.lockByProjectId(update.projectId());
        update.checkSecretPresent(secretStoredFor(existing, update));
        existing.ifPresent(row -> Etags.check(update.etag(), row.rowVersion, "project " + update.projectId()));
        Optional<RootKeyConfig> requested = update.requestedRootKey();
        if (requested.isEmpty()) {
            return disable(existing.orElseGet(() -> persistDisabled(update.projectId())));
        }
        Optional<RootKeyConfig> stored = existing.flatMap(rows::rootKeyWithSecret);
        RootKeyConfig next = keepStoredSecret(stored, requested.get());
        try {
            if (existing.isPresent() && existing.get().enabled && stored.isPresent() && sameSettings(stored.get(), next)) {
                return ProjectRows.toDomain(existing.get()); // the same request again: nothing to do
            }
            ProjectEncryptionEntity row = existing.orElseGet(() -> newRow(update.projectId()));
            EncryptionRules.checkProjectProviderChange(existing.map(ProjectRows::toDomain).orElse(null),
                    next.provider(), clusters.encryptedClusterNames(update.projectId()));
            rootKeys.forConfig(next).validate(update.projectId(), next);
            boolean keyChanged = stored.isEmpty() || !stored.get().sameKeyAs(next);
            if (stored.isPresent() && keyChanged) {
                rewrapMasterKeys(update.projectId(), stored.get(), next);
            }
            return enable(row, next, keyChanged);
        } finally {
            Secrets.clear(stored);
        }
    }

    @Transactional
    public ProjectEncryption disable(String projectId, String etag) {
        requireProjectId("project_id", projectId);
        ProjectEncryptionEntity row = projects.lockByProjectId(projectId).orElseThrow(() -> notFound(projectId));
        Etags.check(etag, row.rowVersion, "project " + projectId);
        return disable(row);
    }

    /**
     * Checks the stored CMK against KMS now and records the verdict and the alerts, exactly as the
     * periodic check does. An unreachable KMS is not a verdict: it opens KMS_UNREACHABLE and is
     * reported to the caller (UNAVAILABLE).
     */
    public ProjectEncryption validate(String projectId) {
        requireProjectId("project_id", projectId);
        return keyHealth.check(projectId);
    }

    private ProjectEncryption disable(ProjectEncryptionEntity row) {
        if (!row.enabled) {
            return ProjectRows.toDomain(row);
        }
        EncryptionRules.checkProjectMayDisable(row.projectId, clusters.encryptedClusterNames(row.projectId));
        row.enabled = false;
        row.valid = false;
        row.validationError = null;
        row.updateTime = Instant.now(clock);
        keyHealth.closeAlertsOfDisabledProject(row.projectId); // no CMK in force: nothing left to alert about
        projects.flush();
        LOG.infof("project %s: encryption at rest disabled", row.projectId);
        return ProjectRows.toDomain(row);
    }

    private ProjectEncryption enable(ProjectEncryptionEntity row, RootKeyConfig root, boolean keyChanged) {
        Instant now = Instant.now(clock);
        rows.store(row, root);
        row.enabled = true;
        recordVerdict(row, null);
        if (keyChanged) {
            row.cmkLastChangedTime = now;
        }
        if (keyChanged && row.id != null) {
            row.rootKeyGeneration++;
        }
        row.updateTime = now;
        if (row.id == null) {
            projects.persist(row);
        }
        projects.flush();
        LOG.infof("project %s: encryption at rest enabled with %s%s", row.projectId, root.provider(),
                keyChanged ? " (new root key)" : "");
        return ProjectRows.toDomain(row);
    }

    /** Every master key of the project follows the CMK, in this transaction: all or nothing. */
    private void rewrapMasterKeys(String projectId, RootKeyConfig from, RootKeyConfig to) {
        List<MasterKeyEntity> live = masterKeyRows.listLiveByProject(projectId);
        for (MasterKeyEntity masterKey : live) {
            masterKeys.rewrap(from, to, masterKey.rootKeyGeneration + 1, masterKey);
        }
        if (!live.isEmpty()) {
            LOG.infof("project %s: re-wrapped %d master keys under the new root key", projectId, live.size());
        }
    }

    private void recordVerdict(ProjectEncryptionEntity row, String error) {
        row.valid = error == null;
        row.validationError = error;
        row.lastValidatedTime = Instant.now(clock);
    }

    private ProjectEncryptionEntity persistDisabled(String projectId) {
        ProjectEncryptionEntity row = newRow(projectId);
        row.updateTime = row.createTime;
        projects.persist(row);
        return row;
    }

    private ProjectEncryptionEntity newRow(String projectId) {
        ProjectEncryptionEntity row = new ProjectEncryptionEntity();
        row.projectId = projectId;
        row.createTime = Instant.now(clock);
        return row;
    }

    /**
     * An update that names the same access key id without its secret keeps the stored secret (already
     * unsealed in {@code stored}; checkSecretPresent has made sure it belongs to this access key id).
     */
    private static RootKeyConfig keepStoredSecret(Optional<RootKeyConfig> stored, RootKeyConfig next) {
        if (next instanceof AwsKmsSettings aws && aws.usesStaticKeys() && aws.secretAccessKey() == null) {
            return aws.withSecret(((AwsKmsSettings) stored.orElseThrow()).secretAccessKey());
        }
        return next;
    }

    private static boolean secretStoredFor(Optional<ProjectEncryptionEntity> existing, ProjectEncryptionUpdate update) {
        return update.aws() != null && existing
                .filter(row -> row.awsSecretSealed != null && update.aws().accessKeyId() != null)
                .map(row -> update.aws().accessKeyId().equals(row.awsAccessKeyId))
                .orElse(false);
    }

    private static boolean sameSettings(RootKeyConfig stored, RootKeyConfig next) {
        if (stored instanceof AwsKmsSettings a && next instanceof AwsKmsSettings b) {
            return a.sameAs(b);
        }
        return stored.equals(next);
    }

    static void requireProjectId(String field, String projectId) {
        Violations violations = new Violations();
        InputRules.requireId(violations, field, projectId);
        violations.throwIfAny();
    }

    private static NotFoundException notFound(String projectId) {
        return new NotFoundException("project " + projectId + " has no encryption-at-rest configuration");
    }
}
