package dev.atrest.keyservice.project;

import dev.atrest.keyservice.cmkchange.CmkChanges;
import dev.atrest.keyservice.cmkchange.KeyHealthChecks;
import dev.atrest.keyservice.domain.AwsKmsSettings;
import dev.atrest.keyservice.domain.ConcurrentUpdateException;
import dev.atrest.keyservice.domain.EncryptionRules;
import dev.atrest.keyservice.domain.Etags;
import dev.atrest.keyservice.domain.InputRules;
import dev.atrest.keyservice.domain.NotFoundException;
import dev.atrest.keyservice.domain.PreconditionFailedException;
import dev.atrest.keyservice.domain.PreconditionFailedException.Reason;
import dev.atrest.keyservice.domain.ProjectEncryption;
import dev.atrest.keyservice.domain.ProjectEncryptionUpdate;
import dev.atrest.keyservice.domain.RootKeyConfig;
import dev.atrest.keyservice.domain.Violations;
import dev.atrest.keyservice.health.KeyHealth;
import dev.atrest.keyservice.kms.AwsClients;
import dev.atrest.keyservice.kms.RootKeys;
import dev.atrest.keyservice.kms.Secrets;
import dev.atrest.keyservice.masterkey.KeyAccessChanged;
import dev.atrest.keyservice.store.ClusterEncryptionRepository;
import dev.atrest.keyservice.store.CmkChangeRepository;
import dev.atrest.keyservice.store.MasterKeyRepository;
import dev.atrest.keyservice.store.ProjectEncryptionEntity;
import dev.atrest.keyservice.store.ProjectEncryptionRepository;
import dev.atrest.keyservice.store.ProjectRows;
import dev.atrest.keyservice.store.WrappingKeyUse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/** A project's encryption configuration: read, upsert, disable, validate. */
@ApplicationScoped
public class Projects {
    private static final Logger LOG = Logger.getLogger(Projects.class);
    private static final InputRules RULES = new InputRules(AwsClients::isKnownRegion);
    /** Each round validates what a concurrent update left to store; more than a few means heavy contention. */
    private static final int MAX_ATTEMPTS = 3;

    private final ProjectEncryptionRepository projects;
    private final ClusterEncryptionRepository clusters;
    private final MasterKeyRepository masterKeyRows;
    private final CmkChangeRepository cmkChanges;
    private final ProjectRows rows;
    private final RootKeys rootKeys;
    private final KeyHealth keyHealth;
    private final KeyHealthChecks keyHealthChecks;
    private final CmkChanges moves;
    private final Event<KeyAccessChanged> keyAccessChanged;
    private final Clock clock;

    Projects(ProjectEncryptionRepository projects, ClusterEncryptionRepository clusters,
             MasterKeyRepository masterKeyRows, CmkChangeRepository cmkChanges, ProjectRows rows, RootKeys rootKeys,
             KeyHealth keyHealth, KeyHealthChecks keyHealthChecks, CmkChanges moves,
             Event<KeyAccessChanged> keyAccessChanged, Clock clock) {
        this.projects = projects;
        this.clusters = clusters;
        this.masterKeyRows = masterKeyRows;
        this.cmkChanges = cmkChanges;
        this.rows = rows;
        this.rootKeys = rootKeys;
        this.keyHealth = keyHealth;
        this.keyHealthChecks = keyHealthChecks;
        this.moves = moves;
        this.keyAccessChanged = keyAccessChanged;
        this.clock = clock;
    }

    @Transactional
    public ProjectEncryption get(String projectId) {
        requireProjectId("project_id", projectId);
        return projects.findByProjectId(projectId).map(rows::describe)
                .orElseThrow(() -> notFound(projectId));
    }

    /**
     * UpdateProjectEncryption: stores the settings, then, when the CMK changed (or an earlier change is
     * unfinished), moves the project's master keys to it before answering, so that a caller such as
     * {@code terraform apply} sees the change done or a clear error. The move runs after the settings
     * commit, one master key per transaction, never inside this method's own transaction.
     */
    public ProjectEncryption apply(ProjectEncryptionUpdate update) {
        ProjectEncryption stored = update(update);
        return stored.cmkChange().isPresent() ? moves.complete(update.projectId()) : stored;
    }

    /**
     * Stores a project's settings. A new root key is validated against KMS (up to three calls, each
     * allowed the AWS call timeout) with no transaction open and no row locked: a first short step under the
     * project's row lock decides what would be stored and ends having written nothing; KMS validates that;
     * a second step locks the row again, checks every rule and the etag against the row as it is now, and
     * stores only if what it would store is what was validated. If a concurrent update changed it meanwhile
     * (its stored secret, say), this one validates again, a bounded number of times. If master keys exist
     * under the old root key, a CMK change is recorded for {@link #apply} to finish after this commits.
     */
    ProjectEncryption update(ProjectEncryptionUpdate update) {
        update.check(RULES);
        Validated validated = null;
        try {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                Step step = store(update, validated);
                if (step.stored() != null) {
                    return step.stored();
                }
                clear(validated);
                validated = null;
                validated = validate(update.projectId(), step.toValidate());
            }
        } finally {
            clear(validated);
        }
        throw new ConcurrentUpdateException("project " + update.projectId() + " kept changing while its root key"
                + " was being validated against KMS; nothing was stored: read it again and retry");
    }

    /**
     * One step of {@link #update} under the project's row lock: stores the update, or, when it needs a root
     * key validated that {@code validated} is not, writes nothing and says which (a copy owning its secret).
     */
    @Transactional
    Step store(ProjectEncryptionUpdate update, Validated validated) {
        Optional<ProjectEncryptionEntity> existing = projects.lockByProjectId(update.projectId());
        update.checkSecretPresent(secretStoredFor(existing, update));
        existing.ifPresent(row -> Etags.check(update.etag(), row.rowVersion, "project " + update.projectId()));
        Optional<RootKeyConfig> requested = update.requestedRootKey();
        if (requested.isEmpty()) {
            existing.ifPresent(row -> setAlertThreshold(row, update.cmkRotationAlertDays()));
            ProjectEncryptionEntity row = existing.orElseGet(() -> persistDisabled(update));
            disable(row);
            return Step.done(rows.describe(row));
        }
        Optional<RootKeyConfig> stored = existing.flatMap(rows::rootKeyWithSecret);
        RootKeyConfig next = keepStoredSecret(stored, requested.get());
        try {
            if (existing.isPresent() && existing.get().enabled && stored.isPresent() && sameSettings(stored.get(), next)) {
                setAlertThreshold(existing.get(), update.cmkRotationAlertDays());
                return Step.done(rows.describe(existing.get())); // the same request again: nothing new to do
            }
            ProjectEncryptionEntity row = existing.orElseGet(() -> newRow(update));
            EncryptionRules.checkProjectProviderChange(existing.map(ProjectRows::toDomain).orElse(null),
                    next.provider(), clusters.encryptedClusterNames(update.projectId()));
            if (validated == null || !sameSettings(validated.config(), next)) {
                return Step.validate(Secrets.copyOf(next)); // nothing written: the lock ends with this step
            }
            boolean keyChanged = stored.isEmpty() || !sameRootKey(row, stored.get(), next, validated.resolved());
            if (keyChanged && existing.isPresent() && cmkChanges.findByIdOptional(row.projectId).isPresent()) {
                throw cmkChangeInProgress(row.projectId);
            }
            existing.ifPresent(r -> setAlertThreshold(r, update.cmkRotationAlertDays()));
            enable(row, next, validated.resolved(), keyChanged && stored.isPresent());
            return Step.done(rows.describe(row));
        } finally {
            Secrets.clear(stored);
        }
    }

    /** Asks KMS whether the root key works, with no transaction open; resolves it to the key's ARN. */
    private Validated validate(String projectId, RootKeyConfig config) {
        try {
            return new Validated(config, rootKeys.forConfig(config).validate(projectId, config));
        } catch (RuntimeException e) {
            Secrets.clear(config);
            throw e;
        }
    }

    private static void clear(Validated validated) {
        if (validated != null) {
            Secrets.clear(validated.config());
        }
    }

    /** A root key KMS validated (its secret owned here, cleared after use) and the key ARN it resolved to. */
    record Validated(RootKeyConfig config, String resolved) {}

    /** What a step of {@link #update} ended with: the stored project, or a root key to validate first. */
    record Step(ProjectEncryption stored, RootKeyConfig toValidate) {
        static Step done(ProjectEncryption stored) {
            return new Step(stored, null);
        }

        static Step validate(RootKeyConfig root) {
            return new Step(null, root);
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
     * Checks the stored CMK, and every key wrapping a live master key, against KMS now and records the
     * verdict and the alerts, exactly as the periodic check does (moving master keys to an alias's new
     * target as it does). An unreachable KMS is not a verdict: it opens KMS_UNREACHABLE and is
     * reported to the caller (UNAVAILABLE).
     */
    public ProjectEncryption validate(String projectId) {
        requireProjectId("project_id", projectId);
        return keyHealthChecks.check(projectId);
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
        keyAccessChanged.fire(new KeyAccessChanged(row.projectId));
        LOG.infof("project %s: encryption at rest disabled", row.projectId);
        return ProjectRows.toDomain(row);
    }

    /**
     * Whether {@code next} reaches the root key in force: decided by the key KMS resolves it to
     * ({@code resolved}, its key ARN), not by the configured string, so that naming the same CMK by its
     * ARN, its id or an alias of it changes nothing. The key in force is the one recorded when the root
     * key was last stored or moved to; for rows stored before it was recorded, the key wrapping the
     * current generation's master keys if they agree on one, else the configured string.
     */
    private boolean sameRootKey(ProjectEncryptionEntity row, RootKeyConfig stored, RootKeyConfig next, String resolved) {
        if (stored.provider() != next.provider()
                || (stored instanceof AwsKmsSettings a && !a.region().equals(((AwsKmsSettings) next).region()))) {
            return false;
        }
        if (row.rootKeyArn != null) {
            return row.rootKeyArn.equals(resolved);
        }
        List<String> wrapping = masterKeyRows.wrappingKeysInUse(row.projectId).stream()
                .filter(use -> use.rootKeyGeneration() == row.rootKeyGeneration)
                .map(WrappingKeyUse::keyId).distinct().toList();
        return wrapping.size() == 1 ? wrapping.get(0).equals(resolved) : stored.sameKeyAs(next);
    }

    private void enable(ProjectEncryptionEntity row, RootKeyConfig root, String resolved, boolean replacesRootKey) {
        Instant now = Instant.now(clock);
        boolean keysToMove = replacesRootKey && masterKeyRows.countLiveByProject(row.projectId) > 0;
        if (keysToMove) {
            // Remember how to reach the old root key until every master key has moved off it.
            cmkChanges.persist(rows.startCmkChange(row, now));
        }
        if (replacesRootKey) {
            row.rootKeyGeneration++;
        }
        rows.store(row, root);
        row.rootKeyArn = resolved;
        row.encryptionGeneration = EncryptionRules.generationAfterEnable(row.enabled, row.encryptionGeneration);
        row.enabled = true;
        recordVerdict(row, null);
        if (!keysToMove && (replacesRootKey || row.cmkLastChangedTime == null)) {
            row.cmkLastChangedTime = now; // with keys to move, it is set when the last one has moved
        }
        row.updateTime = now;
        if (row.id == null) {
            projects.persist(row);
        }
        projects.flush();
        keyHealth.recordUsable(row); // it was validated just now
        keyAccessChanged.fire(new KeyAccessChanged(row.projectId));
        LOG.infof("project %s: encryption at rest enabled with %s%s", row.projectId, root.provider(),
                keysToMove ? "; moving its master keys to the new root key" : replacesRootKey ? " (new root key)" : "");
    }

    private void setAlertThreshold(ProjectEncryptionEntity row, int cmkRotationAlertDays) {
        if (cmkRotationAlertDays != 0 && row.cmkRotationAlertDays != cmkRotationAlertDays) {
            row.cmkRotationAlertDays = cmkRotationAlertDays;
            row.updateTime = Instant.now(clock);
            projects.flush(); // the etag in the response must be the one stored
        }
    }

    private static PreconditionFailedException cmkChangeInProgress(String projectId) {
        return new PreconditionFailedException(Reason.CMK_CHANGE_IN_PROGRESS, "project " + projectId
                + " is still moving its master keys to the CMK set by an earlier update; send that update again"
                + " to finish it, then change the CMK", Map.of("project_id", projectId));
    }

    private void recordVerdict(ProjectEncryptionEntity row, String error) {
        row.valid = error == null;
        row.validationError = error;
        row.lastValidatedTime = Instant.now(clock);
    }

    private ProjectEncryptionEntity persistDisabled(ProjectEncryptionUpdate update) {
        ProjectEncryptionEntity row = newRow(update);
        row.updateTime = row.createTime;
        projects.persist(row);
        return row;
    }

    private ProjectEncryptionEntity newRow(ProjectEncryptionUpdate update) {
        ProjectEncryptionEntity row = new ProjectEncryptionEntity();
        row.projectId = update.projectId();
        row.createTime = Instant.now(clock);
        if (update.cmkRotationAlertDays() != 0) {
            row.cmkRotationAlertDays = update.cmkRotationAlertDays();
        }
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
                .filter(row -> row.rootKey != null && row.rootKey.awsSecretSealed != null && update.aws().accessKeyId() != null)
                .map(row -> update.aws().accessKeyId().equals(row.rootKey.awsAccessKeyId))
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
