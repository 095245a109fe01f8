package dev.atrest.keyservice.audit;

import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.store.JobLock;
import dev.atrest.keyservice.store.JobLocks;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Audit retention ({@code atrest.audit.retention}): prunes records older than the retention, oldest first,
 * in batches of one transaction each, each batch moving the MAC'd checkpoint ({@link AuditCheckpoint}) past
 * what it removed, so that the rest of the chain still verifies from there. One replica at a time (a job
 * lock), harmless when run twice, bounded per run; each run that pruned something is itself audited
 * ("audit.pruned": how many, which sequences, the cut-off).
 */
@ApplicationScoped
public class AuditRetention {
    static final String LOCK = "audit-retention";
    private static final Logger LOG = Logger.getLogger(AuditRetention.class);
    /** One run stops after this long; the next run goes on where it stopped. */
    private static final Duration MAX_RUN = Duration.ofMinutes(1);

    /** What one run did. */
    public record Run(long pruned, long firstSequence, long lastSequence, String problem) {}

    private final AuditCheckpointStore store;
    private final AuditChain chain;
    private final CheckpointSeal seal;
    private final JobLocks locks;
    private final AuditLog log;
    private final Clock clock;
    private final Duration retention;
    private final int batchSize;

    AuditRetention(AtrestConfig config, AuditCheckpointStore store, AuditChain chain, CheckpointSeal seal,
                   JobLocks locks, AuditLog log, Clock clock) {
        this.store = store;
        this.chain = chain;
        this.seal = seal;
        this.locks = locks;
        this.log = log;
        this.clock = clock;
        this.retention = config.audit().retention();
        this.batchSize = config.audit().retentionBatchSize();
    }

    /** Prunes what the retention allows; empty when retention is off or another replica is at it. */
    public Optional<Run> runOnce() {
        if (retention.isZero() || retention.isNegative()) {
            return Optional.empty();
        }
        Optional<JobLock> lock = locks.tryLock(LOCK);
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        try (JobLock held = lock.get()) {
            Instant cutoff = clock.instant().minus(retention);
            Run run = prune(cutoff);
            if (run.pruned() > 0) {
                log.recordFact(AuditEvent.byService("audit.pruned", "", "OK", run.pruned() + " records ("
                        + run.firstSequence() + " to " + run.lastSequence() + ") older than " + cutoff
                        + " pruned; the chain now verifies from the checkpoint after record " + run.lastSequence()));
            }
            if (!run.problem().isEmpty()) {
                LOG.errorf("audit retention stopped: %s", run.problem());
                log.recordFact(AuditEvent.byService("audit.pruned", "", "STOPPED", run.problem()));
            }
            return Optional.of(run);
        }
    }

    private Run prune(Instant cutoff) {
        long started = System.nanoTime();
        long pruned = 0;
        long first = 0;
        long last = 0;
        try {
            while (System.nanoTime() - started < MAX_RUN.toNanos()) {
                RetentionCut cut = store.pruneBatch(cutoff, batchSize, chain, seal,
                        clock.instant().truncatedTo(ChronoUnit.MICROS));
                if (cut.count() > 0) {
                    first = first == 0 ? cut.last().sequence() - cut.count() + 1 : first;
                    last = cut.last().sequence();
                    pruned += cut.count();
                }
                if (!cut.problem().isEmpty() || cut.count() < batchSize) {
                    return new Run(pruned, first, last, cut.problem());
                }
            }
            return new Run(pruned, first, last, "");
        } catch (SQLException | IllegalStateException e) {
            return new Run(pruned, first, last, e.getMessage());
        }
    }
}
