package dev.atrest.keyservice.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.audit.AuditEvent;
import dev.atrest.keyservice.support.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefusalRecordsTest {
    private static final String GET_KEY = "atrest.v1.DatabaseKeyService/GetDatabaseKey";

    private final List<AuditEvent> recorded = new ArrayList<>();
    private final TestClock clock = new TestClock();
    private final RefusalRecords records = new RefusalRecords(recorded::add, clock, Duration.ofSeconds(60), 100);

    @Test
    void refused_manyInOneWindow_firstAtOnceTheRestOneCountedRecordWhenTheWindowCloses() {
        for (int i = 0; i < 1000; i++) {
            records.refused("peer:10.0.0.1", refusal("anonymous", "UNAUTHENTICATED", "unknown bearer token #" + i));
        }
        assertThat(recorded).extracting(AuditEvent::detail).containsExactly("unknown bearer token #0");

        clock.advance(Duration.ofSeconds(58));
        records.closeDue();
        assertThat(recorded).hasSize(1);

        clock.advance(Duration.ofSeconds(2));
        records.closeDue();
        assertThat(recorded).hasSize(2);
        assertThat(recorded.get(1).outcome()).isEqualTo("UNAUTHENTICATED");
        assertThat(recorded.get(1).action()).isEqualTo(GET_KEY);
        assertThat(recorded.get(1).detail()).startsWith("999 more refusals like this of peer:10.0.0.1 from ")
                .endsWith("the last: unknown bearer token #999");
    }

    @Test
    void refused_differentCallerMethodOrOutcome_eachRecordedAtOnce() {
        records.refused("peer:10.0.0.1", refusal("anonymous", "UNAUTHENTICATED", "x"));
        records.refused("peer:10.0.0.2", refusal("anonymous", "UNAUTHENTICATED", "x"));
        records.refused("token:tok-a", refusal("token:tok-a", "PERMISSION_DENIED", "x"));
        records.refused("peer:10.0.0.1", refusal("anonymous", "RESOURCE_EXHAUSTED", "x"));
        records.refused("peer:10.0.0.1", new AuditEvent("anonymous", "atrest.v1.AccessService/WhoAmI", "",
                "UNAUTHENTICATED", "x"));

        assertThat(recorded).hasSize(5);
        records.closeAll();
        assertThat(recorded).as("no window had more than its first").hasSize(5);
    }

    @Test
    void refused_afterTheWindow_anotherRecordAtOnceAndTheOldCountRecorded() {
        records.refused("peer:10.0.0.1", refusal("anonymous", "UNAUTHENTICATED", "a"));
        records.refused("peer:10.0.0.1", refusal("anonymous", "UNAUTHENTICATED", "b"));
        clock.advance(Duration.ofSeconds(61));

        records.refused("peer:10.0.0.1", refusal("anonymous", "UNAUTHENTICATED", "c"));

        assertThat(recorded).extracting(AuditEvent::detail).satisfiesExactly(
                first -> assertThat(first).isEqualTo("a"),
                count -> assertThat(count).startsWith("1 more refusal like this"),
                next -> assertThat(next).isEqualTo("c"));
    }

    @Test
    void closeAll_shutdown_recordsOpenCounts() {
        records.refused("peer:10.0.0.1", refusal("anonymous", "UNAUTHENTICATED", "a"));
        records.refused("peer:10.0.0.1", refusal("anonymous", "UNAUTHENTICATED", "b"));

        records.closeAll();

        assertThat(recorded).hasSize(2);
        assertThat(recorded.get(1).detail()).startsWith("1 more refusal like this");
    }

    @Test
    void refused_zeroWindow_everyRefusalItsOwnRecord() {
        RefusalRecords uncoalesced = new RefusalRecords(recorded::add, clock, Duration.ZERO, 100);

        for (int i = 0; i < 5; i++) {
            uncoalesced.refused("peer:10.0.0.1", refusal("anonymous", "UNAUTHENTICATED", "x"));
        }

        assertThat(recorded).hasSize(5);
    }

    private static AuditEvent refusal(String actor, String outcome, String detail) {
        return new AuditEvent(actor, GET_KEY, "projects/p1/clusters/c1/databases/d1", outcome, detail);
    }
}
