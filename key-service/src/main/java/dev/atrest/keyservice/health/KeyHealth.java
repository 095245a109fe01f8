package dev.atrest.keyservice.health;

import dev.atrest.keyservice.audit.AuditEvent;
import dev.atrest.keyservice.audit.AuditLog;
import dev.atrest.keyservice.domain.Alert;
import dev.atrest.keyservice.domain.AlertChanges;
import dev.atrest.keyservice.domain.AlertDecisions;
import dev.atrest.keyservice.domain.KmsUnavailableException;
import dev.atrest.keyservice.domain.NotFoundException;
import dev.atrest.keyservice.domain.ProjectEncryption;
import dev.atrest.keyservice.domain.RootKeyConfig;
import dev.atrest.keyservice.domain.ValidationOutcome;
import dev.atrest.keyservice.kms.Secrets;
import dev.atrest.keyservice.masterkey.KeyAccessChanged;
import dev.atrest.keyservice.store.CmkChangeRepository;
import dev.atrest.keyservice.store.KeyAlertEntity;
import dev.atrest.keyservice.store.KeyAlertRepository;
import dev.atrest.keyservice.store.MasterKeyRepository;
import dev.atrest.keyservice.store.ProjectEncryptionEntity;
import dev.atrest.keyservice.store.ProjectEncryptionRepository;
import dev.atrest.keyservice.store.ProjectRows;
import dev.atrest.keyservice.store.WrappingKeyUse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One health check of a project's root keys: ask KMS about the configured key and about every key that
 * wraps a live master key, sort the answers into a verdict or unreachability, and store the alerts and
 * the validity that {@link AlertDecisions} derives from them. When the configured key (an alias) now
 * resolves to another key than the one wrapping the master keys, the check starts a CMK change to it
 * ({@code cmkchange.KeyHealthChecks} then moves the keys). The periodic job and ValidateProjectEncryption both
 * come here, so they can never disagree.
 */
@ApplicationScoped
public class KeyHealth {
    private static final Logger LOG = Logger.getLogger(KeyHealth.class);

    private final ProjectEncryptionRepository projects;
    private final MasterKeyRepository masterKeyRows;
    private final CmkChangeRepository cmkChanges;
    private final KeyAlertRepository alerts;
    private final ProjectRows rows;
    private final KeyHealthProbe probe;
    private final Event<AlertsChanged> alertsChanged;
    private final Event<KeyAccessChanged> keyAccessChanged;
    private final Clock clock;
    private final AuditLog audit;

    KeyHealth(ProjectEncryptionRepository projects, MasterKeyRepository masterKeyRows, CmkChangeRepository cmkChanges,
              KeyAlertRepository alerts, ProjectRows rows, KeyHealthProbe probe, Event<AlertsChanged> alertsChanged,
              Event<KeyAccessChanged> keyAccessChanged, Clock clock, AuditLog audit) {
        this.projects = projects;
        this.masterKeyRows = masterKeyRows;
        this.cmkChanges = cmkChanges;
        this.alerts = alerts;
        this.rows = rows;
        this.probe = probe;
        this.alertsChanged = alertsChanged;
        this.keyAccessChanged = keyAccessChanged;
        this.clock = clock;
        this.audit = audit;
    }

    /**
     * Checks the project now: reads what to ask (short transaction), asks KMS (no transaction, no lock),
     * then decides under the project row's lock. A second check (another replica, the job run twice)
     * decides after this one and, the decisions being idempotent, opens nothing new. A check whose
     * project settings changed while KMS answered stores no verdict. An unreachable KMS is rethrown after
     * the KMS_UNREACHABLE alert is committed, so callers still learn that nothing was judged.
     *
     * @throws KmsUnavailableException when KMS could not be asked; the alert is stored all the same
     */
    public ProjectEncryption check(String projectId) {
        KeyHealthProbe.Findings findings;
        long rowVersion;
        int generation;
        try (KeyHealthSubject subject = read(projectId)) {
            rowVersion = subject.rowVersion();
            generation = subject.rootKeyGeneration();
            findings = subject.enabled() ? probe.probe(subject) : null;
        }
        ProjectEncryption checked = decide(projectId, rowVersion, generation, findings);
        if (findings != null && findings.unreachable() != null) {
            throw findings.unreachable();
        }
        return checked;
    }

    @Transactional(TxType.REQUIRES_NEW)
    KeyHealthSubject read(String projectId) {
        ProjectEncryptionEntity row = projects.findByProjectId(projectId).orElseThrow(() -> notFound(projectId));
        if (!row.enabled) {
            return KeyHealthSubject.disabled(projectId, row.rowVersion, row.rootKeyGeneration);
        }
        RootKeyConfig configured = rows.rootKeyWithSecret(row).orElseThrow();
        List<KeyHealthSubject.WrappingKey> wrapping = new ArrayList<>();
        for (WrappingKeyUse use : masterKeyRows.wrappingKeysInUse(projectId)) {
            accessFor(row, configured, use).ifPresent(access -> wrapping.add(new KeyHealthSubject.WrappingKey(use, access)));
        }
        return new KeyHealthSubject(projectId, true, row.rowVersion, row.rootKeyGeneration, configured, wrapping);
    }

    /** How to reach a wrapping key: the credentials of its generation (the configured ones, or a CMK change's). */
    private Optional<RootKeyConfig> accessFor(ProjectEncryptionEntity row, RootKeyConfig configured, WrappingKeyUse use) {
        RootKeyConfig access;
        if (use.rootKeyGeneration() == row.rootKeyGeneration) {
            access = configured;
        } else {
            try {
                access = rows.rootKeyForGeneration(row, use.rootKeyGeneration());
            } catch (IllegalStateException unreachable) {
                access = null;
            }
        }
        if (access == null || access.provider() != use.provider()) {
            // Never left behind by the service (a CMK change keeps its old root key until every key moved).
            LOG.warnf("project %s: %d master key(s) under %s (root-key generation %d) have no recorded way to"
                    + " reach that key; not checked", row.projectId, use.masterKeys(), use.keyId(),
                    use.rootKeyGeneration());
            Secrets.clear(Optional.ofNullable(access));
            return Optional.empty();
        }
        return Optional.of(access);
    }

    @Transactional(TxType.REQUIRES_NEW)
    ProjectEncryption decide(String projectId, long rowVersion, int generation,
                                     KeyHealthProbe.Findings findings) {
        ProjectEncryptionEntity row = projects.lockByProjectId(projectId).orElseThrow(() -> notFound(projectId));
        if (!row.enabled) {
            closeAlertsOfDisabledProject(projectId);
            return rows.describe(row);
        }
        if (findings == null || row.rowVersion != rowVersion || row.rootKeyGeneration != generation) {
            LOG.debugf("project %s: its settings changed during the check; no verdict stored", projectId);
            return rows.describe(row);
        }
        ValidationOutcome outcome = findings.outcome();
        audit.recordFact(checked(projectId, outcome));
        Instant now = Instant.now(clock); // after the KMS calls, which may have taken seconds
        if (findings.resolvedKeyId() != null) {
            followResolvedKey(row, findings.resolvedKeyId(), now);
        }
        ProjectEncryption project = ProjectRows.toDomain(row);
        List<KeyAlertEntity> open = alerts.listOpen(projectId);
        String invalidReason = outcome instanceof ValidationOutcome.Invalid invalid ? invalid.reason() : null;
        store(row, open, AlertDecisions.decide(projectId, domain(open), outcome, row.cmkLastChangedTime,
                project.cmkAgePolicy(), now), invalidReason, now);
        return rows.describe(row);
    }

    /**
     * The configured key, usable, resolves to {@code resolved} (its key ARN). Master keys of the current
     * generation under another key mean the configured key moved (an alias retargeted, AWS's way of
     * rotating by hand): a CMK change to it starts, so that the old key can be disabled once it ends. With
     * nothing to move, the CMK simply changed now. An unfinished CMK change moves keys first; the next
     * check looks again.
     */
    private void followResolvedKey(ProjectEncryptionEntity row, String resolved, Instant now) {
        if (cmkChanges.findByIdOptional(row.projectId).isPresent()) {
            return;
        }
        if (masterKeyRows.countLiveInGenerationNotUnder(row.projectId, row.rootKeyGeneration, resolved) > 0) {
            cmkChanges.persist(rows.startCmkChange(row, now));
            row.rootKeyGeneration++;
            row.rootKeyArn = resolved;
            row.updateTime = now;
            LOG.infof("project %s: its customer master key now resolves to %s, not to the key wrapping its master"
                    + " keys; moving them to it", row.projectId, resolved);
            audit.recordFact(AuditEvent.byService("cmk_change.started", AuditEvent.project(row.projectId), "OK",
                    "the configured key now resolves to " + resolved));
        } else if (!resolved.equals(row.rootKeyArn)) {
            if (row.rootKeyArn != null) {
                row.cmkLastChangedTime = now; // retargeted with no master key to move: the CMK changed now
                LOG.infof("project %s: its customer master key now resolves to %s (was %s)", row.projectId,
                        resolved, row.rootKeyArn);
            }
            row.rootKeyArn = resolved;
        }
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

    /** The audit record of a check: VALID, INVALID with KMS's reason, or UNREACHABLE with what went wrong. */
    private static AuditEvent checked(String projectId, ValidationOutcome outcome) {
        String resource = AuditEvent.project(projectId);
        if (outcome instanceof ValidationOutcome.Invalid invalid) {
            return AuditEvent.byService("cmk.check", resource, "INVALID", invalid.reason());
        }
        if (outcome instanceof ValidationOutcome.Unreachable unreachable) {
            return AuditEvent.byService("cmk.check", resource, "UNREACHABLE", unreachable.reason());
        }
        return AuditEvent.byService("cmk.check", resource, "VALID", "");
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

    private static NotFoundException notFound(String projectId) {
        return new NotFoundException("project " + projectId + " has no encryption-at-rest configuration");
    }

    private static List<Alert> domain(List<KeyAlertEntity> rows) {
        return rows.stream().map(KeyAlertEntity::toDomain).toList();
    }
}
