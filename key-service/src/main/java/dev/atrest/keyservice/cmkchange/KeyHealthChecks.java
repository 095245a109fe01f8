package dev.atrest.keyservice.cmkchange;

import dev.atrest.keyservice.domain.KmsUnavailableException;
import dev.atrest.keyservice.domain.ProjectEncryption;
import dev.atrest.keyservice.health.KeyHealth;
import dev.atrest.keyservice.health.KeyMetrics;
import dev.atrest.keyservice.store.ProjectEncryptionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Re-validates every enabled project's root keys (run every {@code atrest.validation.interval} by
 * {@link KeyHealthJob}), and ValidateProjectEncryption for one project. Each project is checked in
 * transactions of its own and one project's failure never stops the others. Safe to run twice or on
 * several replicas: each check decides under the project's row lock, the decisions are idempotent, and
 * a CMK change is moved by one run at a time, so a second run only costs KMS calls.
 */
@ApplicationScoped
public class KeyHealthChecks {
    private static final Logger LOG = Logger.getLogger(KeyHealthChecks.class);

    private final ProjectEncryptionRepository projects;
    private final KeyHealth health;
    private final CmkChanges cmkChanges;
    private final KeyMetrics metrics;

    KeyHealthChecks(ProjectEncryptionRepository projects, KeyHealth health, CmkChanges cmkChanges, KeyMetrics metrics) {
        this.projects = projects;
        this.health = health;
        this.cmkChanges = cmkChanges;
        this.metrics = metrics;
    }

    /** What one run did. */
    public record Summary(int checked, int unreachable, int failed) {}

    /** Checks every enabled project once, then refreshes the key-age metrics. */
    public Summary run() {
        List<String> projectIds = enabledProjectIds();
        int unreachable = 0;
        int failed = 0;
        for (String projectId : projectIds) {
            try {
                check(projectId);
            } catch (KmsUnavailableException e) {
                unreachable++; // KMS_UNREACHABLE is stored and logged by the check
            } catch (RuntimeException e) {
                failed++;
                LOG.warnf(e, "project %s: CMK health check failed; the next run retries it", projectId);
            }
        }
        metrics.refresh();
        Summary summary = new Summary(projectIds.size(), unreachable, failed);
        LOG.debugf("CMK health checks done: %s", summary);
        return summary;
    }

    @Transactional(TxType.REQUIRES_NEW)
    List<String> enabledProjectIds() {
        return projects.enabledProjectIds();
    }

    /**
     * Checks one project and, when every key it depends on is usable and its master keys are due to move
     * (the check found its alias retargeted, or an earlier CMK change is unfinished), moves them now, so
     * that the key they leave can be disabled afterwards. A move that stops midway is recorded on the
     * change (its progress and error) and resumed by the next check or rotation run.
     *
     * @throws KmsUnavailableException when KMS could not be asked; the alert is stored all the same
     */
    public ProjectEncryption check(String projectId) {
        ProjectEncryption checked = health.check(projectId);
        if (!checked.enabled() || !checked.valid() || checked.cmkChange().isEmpty()) {
            return checked;
        }
        try {
            return cmkChanges.complete(projectId);
        } catch (RuntimeException e) {
            LOG.warnf("project %s: moving its master keys to its customer master key stopped, will retry: %s",
                    projectId, e.getMessage());
            return cmkChanges.progress(projectId);
        }
    }
}
