package dev.atrest.keyservice.audit;

import dev.atrest.keyservice.domain.InputRules;
import dev.atrest.keyservice.domain.Violations;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Reading and verifying the audit log (AuditService). Verification first has the writer append what is
 * queued, so it covers every call made before it; listing shows what is written so far.
 */
@ApplicationScoped
public class AuditTrail {
    private static final Logger LOG = Logger.getLogger(AuditTrail.class);
    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 1000;
    private static final Duration FLUSH_WAIT = Duration.ofSeconds(10);
    private static final int UNKNOWN = -1;

    private final AuditRecordStore store;
    private final AuditLog log;
    private final AuditChain chain;
    private final ChainAnchoring anchoring;
    private final CheckpointSeal checkpoints;
    /** 1 intact, 0 broken, -1 not verified since start-up. */
    private final AtomicInteger lastVerdict = new AtomicInteger(UNKNOWN);

    AuditTrail(AuditRecordStore store, AuditLog log, AuditChain chain, ChainAnchoring anchoring,
               CheckpointSeal checkpoints, MeterRegistry registry) {
        this.store = store;
        this.log = log;
        this.chain = chain;
        this.anchoring = anchoring;
        this.checkpoints = checkpoints;
        Gauge.builder("atrest.audit.chain.intact", lastVerdict, AtomicInteger::get)
                .description("1 when the last VerifyAuditLog found the chain intact, 0 when broken, -1 before any")
                .register(registry);
        Gauge.builder("atrest.audit.backlog", log, AuditLog::backlog)
                .description("audit records queued and not yet written").register(registry);
    }

    /** Records after {@code afterSequence}, oldest first, optionally only those of one project. */
    public AuditPage list(long afterSequence, String projectId, int pageSize) {
        Violations violations = new Violations();
        if (afterSequence < 0) {
            violations.add("after_sequence", "must be 0 (the first page) or a sequence number");
        }
        if (!projectId.isEmpty()) {
            InputRules.requireId(violations, "project_id", projectId);
        }
        if (pageSize < 0 || pageSize > MAX_PAGE_SIZE) {
            violations.add("page_size", "must be between 1 and " + MAX_PAGE_SIZE + " (0 means "
                    + DEFAULT_PAGE_SIZE + ")");
        }
        violations.throwIfAny();
        int size = pageSize == 0 ? DEFAULT_PAGE_SIZE : pageSize;
        try {
            return AuditPage.of(store.page(afterSequence, Optional.of(projectId).filter(p -> !p.isEmpty()), size + 1),
                    size);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the audit log", e);
        }
    }

    /**
     * Walks the whole chain (from the retention checkpoint, if any), after writing what is queued, compares it
     * with the heads anchored outside the database, and reports the first problem.
     */
    public ChainVerdict verify() {
        log.flush(FLUSH_WAIT);
        // Read before the records' snapshot: every anchored head was committed before it was anchored, so the
        // snapshot holds it; read after, an anchor of records appended meanwhile would look like a rollback.
        AnchorReading anchors = anchoring.file().map(AnchorFile::read).orElse(AnchorReading.absent());
        ChainVerdict verdict;
        try {
            verdict = store.verify(new ChainCheck(chain, log.highestWrittenHere(), anchors, checkpoints));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the audit log", e);
        }
        lastVerdict.set(verdict.intact() ? 1 : 0);
        if (!verdict.intact()) {
            LOG.errorf("audit log verification failed after %d records: %s", verdict.recordsVerified(),
                    verdict.problem());
        }
        return verdict;
    }
}
