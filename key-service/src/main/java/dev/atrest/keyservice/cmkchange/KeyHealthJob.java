package dev.atrest.keyservice.cmkchange;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import jakarta.enterprise.context.ApplicationScoped;

/** Re-validates every enabled project's CMK every {@code atrest.validation.interval} (default 15 minutes). */
@ApplicationScoped
class KeyHealthJob {
    private final KeyHealthChecks checks;

    KeyHealthJob(KeyHealthChecks checks) {
        this.checks = checks;
    }

    @Scheduled(identity = "key-health", every = "${atrest.validation.interval}",
            concurrentExecution = ConcurrentExecution.SKIP)
    void run() {
        checks.run();
    }
}
