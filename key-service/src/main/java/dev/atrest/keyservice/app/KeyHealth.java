package dev.atrest.keyservice.app;

import dev.atrest.keyservice.domain.Alert;
import dev.atrest.keyservice.domain.AlertChanges;
import dev.atrest.keyservice.domain.AlertDecisions;
import dev.atrest.keyservice.domain.KmsUnavailableException;
import dev.atrest.keyservice.domain.NotFoundException;
import dev.atrest.keyservice.domain.PreconditionFailedException;
import dev.atrest.keyservice.domain.ProjectEncryption;
import dev.atrest.keyservice.domain.RootKeyConfig;
import dev.atrest.keyservice.domain.ValidationOutcome;
import dev.atrest.keyservice.kms.RootKeys;
import dev.atrest.keyservice.store.KeyAlertEntity;
import dev.atrest.keyservice.store.KeyAlertRepository;
import dev.atrest.keyservice.store.ProjectEncryptionEntity;
import dev.atrest.keyservice.store.ProjectEncryptionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One health check of a project's CMK: ask KMS, sort the answer into a verdict or unreachability,
 * and store the alerts and the validity that {@link AlertDecisions} derives from it. The periodic job
 * and ValidateProjectEncryption both come here, so they can never disagree.
 */
@ApplicationScoped
public class KeyHealth {
    private static final Logger LOG = Logger.getLogger(KeyHealth.class);

    private final ProjectEncryptionRepository projects;
    private final KeyAlertRepository alerts;
    private final ProjectRows rows;
    private final RootKeys rootKeys;
    private final Event<AlertsChanged> alertsChanged;
    private final Event<KeyAccessChanged> keyAccessChanged;
    private final Clock clock;

    KeyHealth(ProjectEncryptionRepository projects, KeyAlertRepository alerts, ProjectRows rows, RootKeys rootKeys,
              Event<AlertsChanged> alertsChanged, Event<KeyAccessChanged> keyAccessChanged, Clock clock) {
        this.projects = projects;
        this.alerts = alerts;
        this.rows = rows;
        this.rootKeys = rootKeys;
        this.alertsChanged = alertsChanged;
        this.keyAccessChanged = keyAccessChanged;
        this.clock = clock;
    }

    /**
     * Checks the project now, in a transaction of its own holding the project row's lock: a second
     * check (another replica, the job run twice) waits, then sees this one's alerts and opens nothing new.
     * An unreachable KMS is rethrown after the KMS_UNREACHABLE alert is committed (hence
     * {@code dontRollbackOn}), so callers still learn that nothing was judged.
     *
     * @throws KmsUnavailableException when KMS could not be asked; the alert is stored all the same
     */
    @Transactional(value = TxType.REQUIRES_NEW, dontRollbackOn = KmsUnavailableException.class)
    public ProjectEncryption check(String projectId) {
        ProjectEncryptionEntity row = projects.lockByProjectId(projectId).orElseThrow(() -> new NotFoundException(
                "project " + projectId + " has no encryption-at-rest configuration"));
        if (!row.enabled) {
            closeAlertsOfDisabledProject(projectId);
            return rows.describe(row);
        }
        KmsUnavailableException unreachable = null;
        ValidationOutcome outcome;
        try {
            outcome = validate(row);
        } catch (KmsUnavailableException e) {
            unreachable = e;
            outcome = ValidationOutcome.unreachable(e.getMessage());
        }
        Instant now = Instant.now(clock); // after the KMS call, which may have taken seconds
        ProjectEncryption project = ProjectRows.toDomain(row);
        List<KeyAlertEntity> open = alerts.listOpen(projectId);
        String invalidReason = outcome instanceof ValidationOutcome.Invalid invalid ? invalid.reason() : null;
        store(row, open, AlertDecisions.decide(projectId, domain(open), outcome, row.cmkLastChangedTime,
                project.cmkAgePolicy(), now), invalidReason, now);
        if (unreachable != null) {
            throw unreachable;
        }
        return rows.describe(row);
    }

    /**
     * Records that the project's CMK was just used successfully (stored by an update, or every master key
     * moved onto it), in the caller's transaction: KEY_INVALID and KMS_UNREACHABLE close, and
     * CMK_ROTATION_OVERDUE closes if the CMK changed, without waiting for the next periodic check.
     */
    @Transactional(TxType.MANDATORY)
    public void recordUsable(ProjectEncryptionEntity row) {
        Instant now = Instant.now(clock);
        List<KeyAlertEntity> open = alerts.listOpen(row.projectId);
        store(row, open, AlertDecisions.decide(row.projectId, domain(open), ValidationOutcome.valid(),
                row.cmkLastChangedTime, ProjectRows.toDomain(row).cmkAgePolicy(), now), null, now);
    }

    /** Closes every open alert of a project being disabled, in the caller's transaction (which holds its lock). */
    @Transactional(TxType.MANDATORY)
    public void closeAlertsOfDisabledProject(String projectId) {
        Instant now = Instant.now(clock);
        List<KeyAlertEntity> open = alerts.listOpen(projectId);
        ProjectEncryptionEntity row = projects.findByProjectId(projectId).orElseThrow();
        store(row, open, AlertDecisions.forDisabledProject(projectId, domain(open), now), null, now);
    }

    private ValidationOutcome validate(ProjectEncryptionEntity row) {
        Optional<RootKeyConfig> root = rows.rootKeyWithSecret(row);
        try {
            rootKeys.forConfig(root.orElseThrow()).validate(row.projectId, root.get());
            return ValidationOutcome.valid();
        } catch (PreconditionFailedException invalid) {
            return ValidationOutcome.invalid(invalid.metadata().getOrDefault("kms_reason", invalid.getMessage()));
        } finally {
            Secrets.clear(root);
        }
    }

    private void store(ProjectEncryptionEntity row, List<KeyAlertEntity> open, AlertChanges changes,
                       String invalidReason, Instant now) {
        for (Alert closed : changes.toClose()) {
            KeyAlertEntity alert = rowOf(open, closed);
            alert.closedTime = closed.closedTime();
            LOG.infof("project %s: alert %s closed (alert_id %d, open since %s)", row.projectId, alert.type,
                    alert.id, alert.openedTime);
        }
        for (Alert opened : changes.toOpen()) {
            KeyAlertEntity alert = KeyAlertEntity.of(opened);
            alerts.persist(alert);
            alerts.flush(); // for the id in the log line
            LOG.warnf("project %s: alert %s opened (alert_id %d): %s", row.projectId, alert.type, alert.id,
                    alert.detail);
        }
        boolean wasValid = row.valid;
        storeValidity(row, changes, invalidReason, now);
        projects.flush();
        if (row.valid != wasValid) {
            keyAccessChanged.fire(new KeyAccessChanged(row.projectId)); // keys held in memory obey the verdict now
        }
        if (!changes.alertsUnchanged()) {
            alertsChanged.fire(new AlertsChanged(row.projectId));
        }
    }

    private static void storeValidity(ProjectEncryptionEntity row, AlertChanges changes, String invalidReason,
                                      Instant now) {
        switch (changes.validity()) {
            case VALID -> {
                if (!row.valid) {
                    LOG.infof("project %s: the CMK is usable again; its clusters' keys are available", row.projectId);
                }
                row.valid = true;
                row.validationError = null;
                row.lastValidatedTime = now;
            }
            case INVALID -> {
                if (row.valid) {
                    LOG.warnf("project %s: the CMK cannot be used; its clusters' keys are refused until a later "
                            + "check finds it valid", row.projectId);
                }
                row.valid = false;
                row.validationError = invalidReason;
                row.lastValidatedTime = now;
            }
            case UNCHANGED -> {
                // no verdict reached: keep the stored one
            }
        }
    }

    /** The stored row of an alert to close; of identical duplicates, the newest goes first. */
    private static KeyAlertEntity rowOf(List<KeyAlertEntity> open, Alert alert) {
        for (int i = open.size() - 1; i >= 0; i--) {
            KeyAlertEntity row = open.get(i);
            if (row.closedTime == null && row.type == alert.type() && row.openedTime.equals(alert.openedTime())
                    && Objects.equals(row.detail, alert.detail())) {
                return row;
            }
        }
        throw new IllegalStateException("no open " + alert.type() + " alert of " + alert.projectId() + " to close");
    }

    private static List<Alert> domain(List<KeyAlertEntity> rows) {
        return rows.stream().map(KeyAlertEntity::toDomain).toList();
    }
}
