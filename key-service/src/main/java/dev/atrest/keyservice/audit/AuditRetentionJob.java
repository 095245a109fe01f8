package dev.atrest.keyservice.audit;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import jakarta.enterprise.context.ApplicationScoped;

/** Prunes audit records older than {@code atrest.audit.retention}, every {@code atrest.audit.retention-check-interval}. */
@ApplicationScoped
class AuditRetentionJob {
    private final AuditRetention retention;

    AuditRetentionJob(AuditRetention retention) {
        this.retention = retention;
    }

    @Scheduled(identity = "audit-retention", every = "${atrest.audit.retention-check-interval}",
            delayed = "1m", concurrentExecution = ConcurrentExecution.SKIP)
    void run() {
        retention.runOnce();
    }
}
