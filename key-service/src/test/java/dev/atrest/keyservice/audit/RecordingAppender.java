package dev.atrest.keyservice.audit;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Stands in for the database: keeps what was appended, and can fail or hold appends on request. */
public final class RecordingAppender implements AuditAppender {
    private final List<PendingRecord> appended = new ArrayList<>();
    private int failuresLeft;
    private CountDownLatch entered = new CountDownLatch(0);
    private CountDownLatch gate = new CountDownLatch(0);

    /** The next {@code count} appends fail as a database outage would. */
    public synchronized RecordingAppender failingNext(int count) {
        failuresLeft = count;
        return this;
    }

    /** Appends wait until {@link #open()}; {@link #awaitHeld()} returns once one is waiting. */
    public RecordingAppender held() {
        entered = new CountDownLatch(1);
        gate = new CountDownLatch(1);
        return this;
    }

    public void awaitHeld() throws InterruptedException {
        entered.await();
    }

    public void open() {
        gate.countDown();
    }

    @Override
    public ChainHead append(List<PendingRecord> pending, AuditChain chain) throws SQLException {
        entered.countDown();
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted");
        }
        synchronized (this) {
            if (failuresLeft > 0) {
                failuresLeft--;
                throw new SQLException("database unavailable (test)");
            }
            appended.addAll(pending);
            byte[] mac = new byte[AuditChain.MAC_BYTES];
            mac[0] = (byte) appended.size(); // a head the anchoring can tell apart; these tests never verify it
            return new ChainHead(appended.size(), mac);
        }
    }

    public synchronized List<AuditEvent> events() {
        return appended.stream().map(PendingRecord::event).toList();
    }

    public synchronized List<PendingRecord> records() {
        return List.copyOf(appended);
    }
}
