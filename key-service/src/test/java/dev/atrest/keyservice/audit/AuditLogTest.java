package dev.atrest.keyservice.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.domain.AuditBacklogException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The queue and its writer thread, against a stand-in for the database. */
class AuditLogTest {
    private static final Instant NOW = Instant.parse("2025-03-01T10:15:30.123456789Z");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final AuditChain chain = new AuditChain(KeyMaterial.generate(new SecureRandom()));
    private final RecordingAppender appender = new RecordingAppender();
    private AuditLog log;

    private AuditLog start(int capacity, Duration backlogWait) {
        log = new AuditLog(appender, chain, Clock.fixed(NOW, ZoneOffset.UTC), null, capacity, 500, backlogWait);
        log.start();
        return log;
    }

    @AfterEach
    void stop() throws InterruptedException {
        appender.open();
        log.drain();
    }

    private static AuditEvent event(int i) {
        return new AuditEvent("token:t1", "atrest.v1.DatabaseKeyService/GetDatabaseKey",
                "projects/p1/clusters/c1/databases/d" + i, "OK", "");
    }

    @Test
    void flush_afterRecords_everyRecordAppendedInOrderStampedWithTheClock() {
        start(100, WAIT);

        for (int i = 0; i < 5; i++) {
            log.record(event(i));
        }
        log.flush(WAIT);

        assertThat(appender.events()).containsExactly(event(0), event(1), event(2), event(3), event(4));
        // Microseconds, as MariaDB keeps them: the MAC covers exactly what is stored.
        assertThat(appender.records()).allSatisfy(r -> assertThat(r.time()).isEqualTo(
                Instant.parse("2025-03-01T10:15:30.123456Z")));
    }

    @Test
    void flush_afterFailedAppends_batchRetriedNothingLostOrRepeated() {
        appender.failingNext(2);
        start(100, WAIT);

        log.record(event(0));
        log.record(event(1));
        log.flush(WAIT);

        assertThat(appender.events()).containsExactly(event(0), event(1));
    }

    @Test
    void record_queueStaysFull_refusedWithBacklogAfterBoundedWait() throws InterruptedException {
        appender.held();
        start(1, Duration.ofMillis(50));
        log.record(event(0));
        appender.awaitHeld(); // the writer holds record 0 and is stuck on the database
        log.record(event(1)); // fills the queue

        assertThatThrownBy(() -> log.record(event(2)))
                .isInstanceOf(AuditBacklogException.class).hasMessageContaining("audit log backlog");

        appender.open();
        log.flush(WAIT);
        assertThat(appender.events()).containsExactly(event(0), event(1));
    }

    @Test
    void drain_writesWhatIsQueuedThenRefusesMore() throws InterruptedException {
        appender.held();
        start(100, WAIT);
        log.record(event(0));
        log.record(event(1));
        appender.open();

        log.drain();

        assertThat(appender.events()).containsExactly(event(0), event(1));
        assertThatThrownBy(() -> log.record(event(2))).isInstanceOf(AuditBacklogException.class);
        assertThatCode(() -> log.recordFact(event(3))).as("a fact is logged, not thrown").doesNotThrowAnyException();
    }

    @Test
    void record_fieldTooLongForItsColumn_cutToFit() {
        start(100, WAIT);

        log.record(new AuditEvent("token:t1", "x", "projects/" + "p".repeat(2000), "OK", ""));
        log.flush(WAIT);

        assertThat(appender.events().get(0).resource()).hasSize(RecordLimits.RESOURCE);
    }
}
