package dev.atrest.keyservice.audit;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The audit log's one writer thread: takes what has queued up (up to a batch) and appends it in one
 * transaction. After the first record it lingers a little for more, unless a flush is waiting: no call
 * waits for the write (only for the queue), and under load this turns thousands of small commits a second
 * into a few large ones, which is most of what auditing every key release costs the database. A batch
 * that fails stays in hand and is retried, with growing pauses, until it is written: nothing is skipped,
 * and records keep their order.
 */
final class AuditWriter implements Runnable {
    private static final Logger LOG = Logger.getLogger(AuditWriter.class);
    private static final long IDLE_POLL_MS = 20;
    /** How long a batch waits for more records once it has one (what a kill -9 can lose grows by as much). */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(25);
    private static final long FIRST_RETRY_MS = 50;
    private static final long MAX_RETRY_MS = 5_000;

    /** What the queue holds: records, and flush requests that complete once everything before them is written. */
    sealed interface Queued permits Entry, Flush {}

    record Entry(PendingRecord record) implements Queued {}

    record Flush(CompletableFuture<Void> written) implements Queued {}

    private final BlockingQueue<Queued> queue;
    private final AuditAppender store;
    private final AuditChain chain;
    private final int batchSize;
    private final HeadWatcher watcher;
    private final AtomicLong highestWritten = new AtomicLong();
    private volatile boolean stopping;
    private volatile int inHand;

    AuditWriter(BlockingQueue<Queued> queue, AuditAppender store, AuditChain chain, int batchSize,
                HeadWatcher watcher) {
        this.queue = queue;
        this.store = store;
        this.chain = chain;
        this.batchSize = batchSize;
        this.watcher = watcher;
    }

    @Override
    public void run() {
        List<Queued> batch = new ArrayList<>(batchSize);
        long retryMs = FIRST_RETRY_MS;
        try {
            while (!(stopping && batch.isEmpty() && queue.isEmpty())) {
                if (batch.isEmpty() && !take(batch)) {
                    tell(watcher::idle);
                    continue;
                }
                inHand = batch.size();
                try {
                    write(batch);
                    batch.clear();
                    inHand = 0;
                    retryMs = FIRST_RETRY_MS;
                } catch (SQLException | RuntimeException e) {
                    logFailure(batch, retryMs, e);
                    Thread.sleep(retryMs);
                    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // AuditLog reports what was left unwritten
        }
    }

    /** Finish what is queued, then end. */
    void stop() {
        stopping = true;
    }

    /** Records taken from the queue but not yet written (a batch being retried). */
    int inHand() {
        return inHand;
    }

    /** The highest sequence this writer appended since the service started; 0 if none. */
    long highestWritten() {
        return highestWritten.get();
    }

    private boolean take(List<Queued> batch) throws InterruptedException {
        Queued first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
        if (first == null) {
            return false;
        }
        batch.add(first);
        queue.drainTo(batch, batchSize - batch.size());
        if (batch.size() < batchSize && !stopping && !hasFlush(batch)) {
            // Sleep rather than wait on the queue: a waiting writer would be woken by every record queued.
            TimeUnit.NANOSECONDS.sleep(LINGER_NANOS);
            queue.drainTo(batch, batchSize - batch.size());
        }
        return true;
    }

    private static boolean hasFlush(List<Queued> batch) {
        for (Queued queued : batch) {
            if (queued instanceof Flush) {
                return true;
            }
        }
        return false;
    }

    private void write(List<Queued> batch) throws SQLException {
        List<PendingRecord> records = new ArrayList<>(batch.size());
        for (Queued queued : batch) {
            if (queued instanceof Entry entry) {
                records.add(entry.record());
            }
        }
        if (!records.isEmpty()) {
            ChainHead head = store.append(records, chain);
            highestWritten.accumulateAndGet(head.lastSequence(), Math::max);
            tell(() -> watcher.appended(head));
        }
        for (Queued queued : batch) {
            if (queued instanceof Flush flush) {
                flush.written().complete(null);
            }
        }
    }

    /** The watcher must not throw; if it does anyway, the writer goes on: records matter more than anchors. */
    private static void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.errorf("audit log: the chain head's watcher failed: %s", e.toString());
        }
    }

    /** Names the first record by actor and action only: the rest of a record is not for the service log. */
    private static void logFailure(List<Queued> batch, long retryMs, Exception e) {
        String first = batch.stream().filter(Entry.class::isInstance).map(q -> ((Entry) q).record().event())
                .findFirst().map(event -> event.action() + " by " + event.actor()).orElse("none");
        LOG.errorf("audit log: appending %d queued records (first: %s) failed, retrying in %d ms: %s",
                batch.size(), first, retryMs, e.toString());
    }
}
