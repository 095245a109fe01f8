package dev.atrest.keyservice.audit;

import dev.atrest.keyservice.audit.AuditWriter.Entry;
import dev.atrest.keyservice.audit.AuditWriter.Flush;
import dev.atrest.keyservice.audit.AuditWriter.Queued;
import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.domain.AuditBacklogException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The audit log: every configuration change, key release, rotation, CMK check result and denial, appended
 * to a hash chain in the database ({@link AuditChain}) that verification walks.
 *
 * <p>Key releases are the hot path, so recording does not wait for the database: {@link #record} stamps
 * the event with the clock, puts it in a bounded in-memory queue and returns; one writer thread
 * ({@link AuditWriter}) appends what has queued up, a batch per transaction. When the queue stays full
 * (the database is slow or down), {@link #record} waits a bounded time and then throws
 * {@link AuditBacklogException}: the call is refused (UNAVAILABLE) rather than done unaudited.
 *
 * <p>What a crash loses: records still queued when the process dies without shutting down (kill -9, out of
 * memory, power loss) are gone, although their calls were answered: at most the queue's capacity, in
 * practice the last few milliseconds of calls. Committing each record before answering (write-ahead) would
 * close that gap, and was rejected because it adds a database round trip to every key release. A normal
 * shutdown drains the queue first.
 *
 * <p>After each append the writer tells {@link ChainAnchoring} where the chain now ends, which anchors that head
 * outside the database from time to time: what the database alone holds can be rolled back, the anchor cannot.
 */
@Startup
@ApplicationScoped
public class AuditLog {
    private static final Logger LOG = Logger.getLogger(AuditLog.class);
    private static final Duration DRAIN_AT_SHUTDOWN = Duration.ofSeconds(10);

    private final BlockingQueue<Queued> queue;
    private final AuditWriter writer;
    private final Clock clock;
    private final Duration backlogWait;
    private final TransactionSynchronizationRegistry transactions;
    private volatile boolean closed;
    private Thread writerThread;

    @Inject
    AuditLog(AtrestConfig config, AuditRecordStore store, AuditChain chain, Clock clock,
             TransactionSynchronizationRegistry transactions, ChainAnchoring anchoring) {
        this(store, chain, clock, transactions, config.audit().queueCapacity(), config.audit().batchSize(),
                config.audit().backlogWait(), anchoring);
    }

    /** A log that appends to {@code appender}; call {@link #start()} before recording. */
    public AuditLog(AuditAppender appender, AuditChain chain, Clock clock, TransactionSynchronizationRegistry transactions,
                    int queueCapacity, int batchSize, Duration backlogWait) {
        this(appender, chain, clock, transactions, queueCapacity, batchSize, backlogWait, HeadWatcher.NONE);
    }

    AuditLog(AuditAppender appender, AuditChain chain, Clock clock, TransactionSynchronizationRegistry transactions,
             int queueCapacity, int batchSize, Duration backlogWait, HeadWatcher watcher) {
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.writer = new AuditWriter(queue, appender, chain, batchSize, watcher);
        this.clock = clock;
        this.backlogWait = backlogWait;
        this.transactions = transactions;
    }

    @PostConstruct
    public void start() {
        writerThread = new Thread(writer, "atrest-audit-writer");
        writerThread.setDaemon(true); // shutdown waits for it explicitly, for a bounded time
        writerThread.start();
    }

    /**
     * Records {@code event} as happening now. Returns once it is queued, not written.
     *
     * @throws AuditBacklogException when the queue stayed full for the backlog wait, or at shutdown
     */
    public void record(AuditEvent event) {
        PendingRecord pending = new PendingRecord(clock.instant().truncatedTo(ChronoUnit.MICROS),
                RecordLimits.fit(event));
        enqueue(new Entry(pending), event);
    }

    /**
     * Records {@code event} when the current transaction commits, and not at all if it rolls back; at once
     * when no transaction is active. For changes that only count once committed (a key destroyed).
     */
    public void recordOnCommit(AuditEvent event) {
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            record(event);
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    recordFact(event);
                }
            }
        });
    }

    /**
     * Records something that already happened and cannot be refused any more (a job's step, committed):
     * if the audit log cannot take it, the service log says so loudly instead of failing the caller.
     */
    public void recordFact(AuditEvent event) {
        try {
            record(event);
        } catch (AuditBacklogException e) {
            LOG.errorf("audit log: %s by %s on %s happened but could not be recorded: %s", event.action(),
                    event.actor(), event.resource(), e.getMessage());
        }
    }

    /**
     * Returns once every record queued before this call is in the database.
     *
     * @throws AuditBacklogException when that takes longer than {@code timeout}
     */
    public void flush(Duration timeout) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        enqueue(new Flush(written), null);
        try {
            written.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AuditBacklogException("audit log backlog: the queued audit records were not written within "
                    + timeout.toSeconds() + " s; the database may be slow or down, retry later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditBacklogException("interrupted while waiting for the audit log to be written");
        } catch (ExecutionException e) {
            throw new IllegalStateException("an audit flush cannot fail", e.getCause());
        }
    }

    /** The highest sequence this service appended since it started; 0 if none. */
    public long highestWrittenHere() {
        return writer.highestWritten();
    }

    /** Records queued and not yet written. */
    public int backlog() {
        return queue.size() + writer.inHand();
    }

    void drainAtShutdown(@Observes ShutdownEvent shutdown) throws InterruptedException {
        drain();
    }

    /** Writes what is queued (waiting a bounded time), then refuses further records. */
    public void drain() throws InterruptedException {
        closed = true;
        writer.stop();
        writerThread.join(DRAIN_AT_SHUTDOWN.toMillis());
        if (writerThread.isAlive()) {
            writerThread.interrupt();
            LOG.errorf("audit log: %d records could not be written within %d s of shutdown and are lost",
                    backlog(), DRAIN_AT_SHUTDOWN.toSeconds());
        }
    }

    private void enqueue(Queued item, AuditEvent event) {
        if (closed) {
            throw new AuditBacklogException("the service is shutting down and records no more audit events; "
                    + "retry on another replica");
        }
        boolean queued;
        try {
            queued = queue.offer(item) || queue.offer(item, backlogWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queued = false;
        }
        if (!queued) {
            if (event != null) {
                LOG.warnf("audit log backlog: refused %s by %s, the queue stayed full", event.action(), event.actor());
            }
            throw new AuditBacklogException("audit log backlog: audit records cannot be written fast enough; "
                    + "retry later");
        }
    }
}
