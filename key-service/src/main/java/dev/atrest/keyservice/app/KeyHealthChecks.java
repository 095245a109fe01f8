package dev.atrest.keyservice.app;

import dev.atrest.keyservice.domain.KmsUnavailableException;
import dev.atrest.keyservice.store.ProjectEncryptionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Re-validates every enabled project's CMK (run every {@code atrest.validation.interval} by
 * {@code jobs.KeyHealthChecks}). Each
 * project is checked in its own transaction and one project's failure never stops the others. Safe to
 * run twice or on several replicas: each check holds the project's row lock while it decides, and the
 * decisions are idempotent, so a second run only costs KMS calls.
 */
@ApplicationScoped
public class KeyHealthChecks {
    private static final Logger LOG = Logger.getLogger(KeyHealthChecks.class);

    private final ProjectEncryptionRepository projects;
    private final KeyHealth health;
    private final KeyMetrics metrics;

    KeyHealthChecks(ProjectEncryptionRepository projects, KeyHealth health, KeyMetrics metrics) {
        this.projects = projects;
        this.health = health;
        this.metrics = metrics;
    }

    /** What one run did. */
    public record Summary(int checked, int unreachable, int failed) {}

    /** Checks every enabled project once, then refreshes the key-age metrics. */
    public Summary run() {
        List<String> projectIds = QuarkusTransaction.requiringNew().call(projects::enabledProjectIds);
        int unreachable = 0;
        int failed = 0;
        for (String projectId : projectIds) {
            try {
                health.check(projectId);
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
}
