package dev.atrest.keyservice.audit;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.TestClock;
import dev.atrest.v1.AnchorCheck;
import dev.atrest.v1.AuditRecord;
import dev.atrest.v1.ListAuditRecordsRequest;
import dev.atrest.v1.RevokeAccessTokenRequest;
import dev.atrest.v1.VerifyAuditLogRequest;
import dev.atrest.v1.VerifyAuditLogResponse;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The audit log against someone with the database alone (class b: SQL with the service's own datasource
 * credentials), with the anchor file outside the database: rollbacks and rewrites the chain alone cannot
 * show, a forged anchor file, retention behind a MAC'd checkpoint, and control characters. Every test puts
 * the database and the file back as they were, so the log is intact again for the tests that follow.
 */
@QuarkusTest
class AuditAnchorTest {
    private static final String COLUMNS = "sequence, record_time, actor, action, resource, outcome, detail, mac";

    @Inject
    DataSource dataSource;

    @Inject
    TestClock clock;

    @Inject
    ChainAnchoring anchoring;

    @Inject
    AnchorStartupCheck startupCheck;

    @Inject
    AuditRetention retention;

    @Inject
    AuditChain chain;

    @Test
    void verifyAuditLog_afterTheInterval_headAnchoredAndMatched() throws Exception {
        long anchored = anchorNow();

        VerifyAuditLogResponse verdict = verify();

        assertThat(verdict.getIntact()).as("%s", verdict).isTrue();
        assertThat(verdict.getAnchorCheck()).isEqualTo(AnchorCheck.ANCHOR_MATCHED);
        assertThat(verdict.getAnchoredSequence()).isEqualTo(anchored);
        assertThat(startupCheck.check()).isEmpty();
    }

    @Test
    void verifyAuditLog_olderCopyOfTheTablesRestored_reportsTheAnchorMismatch() throws Exception {
        anchorNow();
        Head copy = head(); // the "copy": audit_head as it is now, and every record up to it
        long anchored = anchorNow(); // more records, and an anchor beyond the copy
        List<Object[]> after = rowsAfter(copy.sequence);
        Head latest = head();

        restore(copy, List.of()); // the older copy back: the newer records gone, the head as it was
        VerifyAuditLogResponse verdict;
        java.util.Optional<String> atStartUp;
        try {
            verdict = verify();
            atStartUp = startupCheck.check();
        } finally {
            restore(latest, after);
        }

        assertThat(verdict.getIntact()).as("%s", verdict).isFalse();
        assertThat(verdict.getAnchorCheck()).isEqualTo(AnchorCheck.ANCHOR_MISMATCH);
        assertThat(verdict.getAnchoredSequence()).isEqualTo(anchored);
        assertThat(verdict.getFirstBadSequence()).isEqualTo(copy.sequence + 1);
        assertThat(verdict.getProblem()).contains("anchored outside the database").contains("rolled back");
        assertThat(atStartUp).hasValueSatisfying(p -> assertThat(p).contains("rolled back"));
        assertThat(verify().getIntact()).as("intact again once restored").isTrue();
    }

    @Test
    void verifyAuditLog_tailDeletedAndHeadRewound_reportsTheAnchorMismatch() throws Exception {
        long anchored = anchorNow();
        List<Object[]> tail = rowsAfter(anchored - 2);
        Head latest = head();
        Head rewound = new Head(anchored - 2, macAt(anchored - 2));

        restore(rewound, List.of());
        VerifyAuditLogResponse verdict;
        try {
            verdict = verify();
        } finally {
            restore(latest, tail);
        }

        assertThat(verdict.getIntact()).as("%s", verdict).isFalse();
        assertThat(verdict.getAnchorCheck()).isEqualTo(AnchorCheck.ANCHOR_MISMATCH);
        assertThat(verdict.getFirstBadSequence()).isEqualTo(anchored - 1);
        assertThat(verify().getIntact()).isTrue();
    }

    @Test
    void verifyAuditLog_rewrittenWithRecomputedMacs_chainVerifiesButTheAnchorDoesNot() throws Exception {
        long anchored = anchorNow();
        long target = anchored - 1;
        List<Object[]> original = rowsAfter(target - 1);
        Head latest = head();

        // Someone who holds the audit MAC key (the seal key leaked) rewrites a record and re-chains the rest.
        byte[] mac = macAt(target - 1);
        for (Object[] row : original) {
            long sequence = ((Number) row[0]).longValue();
            Instant time = ((LocalDateTime) row[1]).toInstant(ZoneOffset.UTC);
            AuditEvent event = new AuditEvent(sequence == target ? "token:innocent" : (String) row[2], (String) row[3],
                    (String) row[4], (String) row[5], (String) row[6]);
            mac = chain.mac(mac, sequence, time, event);
            execute("UPDATE audit_record SET actor = ?, mac = ? WHERE sequence = ?", event.actor(), mac, sequence);
        }
        execute("UPDATE audit_head SET last_sequence = ?, last_mac = ? WHERE id = 1", latest.sequence, mac);
        VerifyAuditLogResponse verdict;
        try {
            verdict = verify();
        } finally {
            restore(latest, List.of());
            for (Object[] row : original) {
                execute("UPDATE audit_record SET actor = ?, mac = ? WHERE sequence = ?", row[2], row[7], row[0]);
            }
        }

        assertThat(verdict.getIntact()).as("%s", verdict).isFalse();
        assertThat(verdict.getAnchorCheck()).isEqualTo(AnchorCheck.ANCHOR_MISMATCH);
        // The newest anchor, or an older one kept in the file's history if it lies at or after the rewrite.
        assertThat(verdict.getFirstBadSequence()).isBetween(target, anchored);
        assertThat(verdict.getProblem()).contains("differs from the one anchored");
        assertThat(verify().getIntact()).isTrue();
    }

    @Test
    void verifyAuditLog_anchorFileForged_reportsTheFileNotIntact() throws Exception {
        long anchored = anchorNow();
        Path file = anchoring.file().orElseThrow().path();
        String text = Files.readString(file);

        // A later head someone would like the log to be measured against, with a MAC they cannot make.
        Files.writeString(file, text.replace("sequence=" + anchored + " ", "sequence=" + (anchored + 1000) + " "));
        VerifyAuditLogResponse verdict;
        try {
            verdict = verify();
        } finally {
            Files.writeString(file, text);
        }

        assertThat(verdict.getIntact()).as("%s", verdict).isFalse();
        assertThat(verdict.getAnchorCheck()).isEqualTo(AnchorCheck.ANCHOR_INVALID);
        assertThat(verdict.getProblem()).contains(file.toString()).contains("does not verify");
        assertThat(verify().getIntact()).isTrue();
    }

    @Test
    void retention_recordsOlderThanTheRetention_prunedAndTheChainVerifiesFromTheCheckpoint() throws Exception {
        anchorNow();
        long before = head().sequence;
        clock.advance(Duration.ofDays(401));
        Api.projects().updateProjectEncryption(enableLocal(Api.uniqueId("kept")));
        verify();

        AuditRetention.Run run = retention.runOnce().orElseThrow();
        VerifyAuditLogResponse verdict = verify();

        assertThat(run.problem()).isEmpty();
        assertThat(run.lastSequence()).isGreaterThanOrEqualTo(before);
        assertThat(count("SELECT COUNT(*) FROM audit_record WHERE sequence <= ?", before)).isZero();
        assertThat(verdict.getIntact()).as("%s", verdict).isTrue();
        assertThat(verdict.getCheckpointSequence()).isEqualTo(run.lastSequence());
        assertThat(verdict.getPrunedRecords()).isGreaterThanOrEqualTo(run.pruned());
        List<AuditRecord> records = Api.audit().listAuditRecords(ListAuditRecordsRequest.newBuilder()
                .setAfterSequence(run.lastSequence()).setPageSize(1000).build()).getRecordsList();
        assertThat(records).anySatisfy(r -> {
            assertThat(r.getAction()).isEqualTo("audit.pruned");
            assertThat(r.getDetail()).contains(run.pruned() + " records");
        });

        // A checkpoint altered in the database (fewer records pruned than were) does not verify.
        execute("UPDATE audit_checkpoint SET pruned_count = pruned_count - 1 WHERE id = 1");
        VerifyAuditLogResponse forged;
        java.util.Optional<String> atStartUp;
        try {
            forged = verify();
            atStartUp = startupCheck.check();
        } finally {
            execute("UPDATE audit_checkpoint SET pruned_count = pruned_count + 1 WHERE id = 1");
        }
        assertThat(forged.getIntact()).isFalse();
        assertThat(forged.getProblem()).contains("checkpoint").contains("forged");
        assertThat(atStartUp).hasValueSatisfying(p -> assertThat(p).contains("checkpoint").contains("forged"));
        assertThat(verify().getIntact()).isTrue();
    }

    @Test
    void record_controlCharactersInARequestField_storedEscaped() throws Exception {
        String tokenId = "t\u001b[2K\rOK\u0007\n\u202eevil\u0085";

        assertThatThrownBy(() -> Api.access().revokeAccessToken(RevokeAccessTokenRequest.newBuilder()
                .setTokenId(tokenId).build())).isInstanceOf(StatusRuntimeException.class);
        verify();

        String stored = text("SELECT resource FROM audit_record WHERE resource LIKE 'tokens/t%evil%'"
                + " ORDER BY sequence DESC LIMIT 1");
        assertThat(stored).isEqualTo("tokens/t\\x1b[2K\\rOK\\x07\\n\\u{202e}evil\\x85");
        assertThat(stored.chars()).noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x202e);
        assertThat(verify().getIntact()).isTrue();
    }

    // --- helpers ----------------------------------------------------------------------------------

    /**
     * Two audited calls, then the anchor interval passes: the writer, idle, anchors the head it appended.
     * Returns the anchored sequence, which is the head.
     */
    private long anchorNow() throws Exception {
        Api.projects().updateProjectEncryption(enableLocal(Api.uniqueId("anchor")));
        Api.projects().updateProjectEncryption(enableLocal(Api.uniqueId("anchor")));
        verify(); // everything queued is written
        long head = head().sequence;
        clock.advance(Duration.ofMinutes(5));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (anchoring.file().orElseThrow().read().newest(ChainAnchor.AUDIT).map(ChainAnchor::sequence).orElse(0L)
                < head && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        VerifyAuditLogResponse verdict = verify();
        assertThat(verdict.getAnchorCheck()).as("%s", verdict).isEqualTo(AnchorCheck.ANCHOR_MATCHED);
        assertThat(verdict.getAnchoredSequence()).as("%s", verdict).isEqualTo(head);
        return head;
    }

    private static VerifyAuditLogResponse verify() {
        return Api.audit().verifyAuditLog(VerifyAuditLogRequest.getDefaultInstance());
    }

    private record Head(long sequence, byte[] mac) {}

    private Head head() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT last_sequence, last_mac FROM audit_head WHERE id = 1"); ResultSet row = select.executeQuery()) {
            assertThat(row.next()).isTrue();
            return new Head(row.getLong(1), row.getBytes(2));
        }
    }

    private byte[] macAt(long sequence) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT mac FROM audit_record WHERE sequence = ?")) {
            select.setLong(1, sequence);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).as("record %d", sequence).isTrue();
                return row.getBytes(1);
            }
        }
    }

    /** The head set to {@code head}, records after it deleted, then {@code rows} inserted. */
    private void restore(Head head, List<Object[]> rows) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM audit_record WHERE sequence > ?");
                 PreparedStatement update = c.prepareStatement(
                         "UPDATE audit_head SET last_sequence = ?, last_mac = ? WHERE id = 1");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO audit_record (" + COLUMNS
                         + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                delete.setLong(1, head.sequence);
                delete.executeUpdate();
                update.setLong(1, head.sequence);
                update.setBytes(2, head.mac);
                update.executeUpdate();
                for (Object[] row : rows) {
                    for (int i = 0; i < row.length; i++) {
                        insert.setObject(i + 1, row[i]);
                    }
                    insert.executeUpdate();
                }
            }
            c.commit();
        }
    }

    private List<Object[]> rowsAfter(long sequence) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM audit_record WHERE sequence > ? ORDER BY sequence")) {
            select.setLong(1, sequence);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    Object[] values = new Object[8];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = i == 1 ? row.getObject(2, LocalDateTime.class) : row.getObject(i + 1);
                    }
                    rows.add(values);
                }
            }
        }
        return rows;
    }

    private void execute(String sql, Object... parameters) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement update = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                update.setObject(i + 1, parameters[i]);
            }
            assertThat(update.executeUpdate()).as(sql).isPositive();
        }
    }

    private long count(String sql, long parameter) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            select.setLong(1, parameter);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private String text(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql);
             ResultSet row = select.executeQuery()) {
            assertThat(row.next()).as(sql).isTrue();
            return row.getString(1);
        }
    }
}
