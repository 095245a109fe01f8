package dev.atrest.keyservice.audit;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.support.Api;
import dev.atrest.v1.AuditRecord;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.ListAuditRecordsRequest;
import dev.atrest.v1.VerifyAuditLogRequest;
import dev.atrest.v1.VerifyAuditLogResponse;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * VerifyAuditLog against the real database, tampered with behind the service's back as someone with
 * write access to it could: a changed field, a deleted record, deleted last records. Every test puts the
 * rows back exactly as they were, so the log is intact again for the tests that follow (which it checks).
 */
@QuarkusTest
class AuditTamperingTest {
    private static final String ROW = "SELECT sequence, record_time, actor, action, resource, outcome, detail, mac"
            + " FROM audit_record WHERE sequence >= ? ORDER BY sequence";

    @Inject
    DataSource dataSource;

    @Test
    void verifyAuditLog_untouched_intact() {
        auditedCallsOfNewProject();

        VerifyAuditLogResponse verdict = verify();

        assertThat(verdict.getIntact()).as("%s", verdict).isTrue();
        assertThat(verdict.getRecordsVerified()).isGreaterThanOrEqualTo(2);
        assertThat(verdict.getFirstBadSequence()).isZero();
        assertThat(verdict.getProblem()).isEmpty();
    }

    @Test
    void verifyAuditLog_fieldOfARecordUpdated_reportsExactlyThatRecord() throws Exception {
        long sequence = auditedCallsOfNewProject().get(0).getSequence();
        String actor = text("SELECT actor FROM audit_record WHERE sequence = ?", sequence);

        execute("UPDATE audit_record SET actor = ? WHERE sequence = ?", "token:someone-else", sequence);
        VerifyAuditLogResponse verdict;
        try {
            verdict = verify();
        } finally {
            execute("UPDATE audit_record SET actor = ? WHERE sequence = ?", actor, sequence);
        }

        assertThat(verdict.getIntact()).isFalse();
        assertThat(verdict.getFirstBadSequence()).isEqualTo(sequence);
        // Counted from retention's checkpoint (0 unless an earlier test pruned).
        assertThat(verdict.getRecordsVerified()).isEqualTo(sequence - 1 - verdict.getCheckpointSequence());
        assertThat(verdict.getProblem()).contains("record " + sequence).contains("changed");
        assertThat(verify().getIntact()).as("intact again once restored").isTrue();
    }

    @Test
    void verifyAuditLog_middleRecordDeleted_reportsTheMissingSequence() throws Exception {
        long sequence = auditedCallsOfNewProject().get(0).getSequence(); // the project's second record follows it
        List<Object[]> saved = rowsFrom(sequence, 1);

        execute("DELETE FROM audit_record WHERE sequence = ?", sequence);
        VerifyAuditLogResponse verdict;
        try {
            verdict = verify();
        } finally {
            insert(saved);
        }

        assertThat(verdict.getIntact()).isFalse();
        assertThat(verdict.getFirstBadSequence()).isEqualTo(sequence);
        assertThat(verdict.getProblem()).contains("record " + sequence + " is missing");
        assertThat(verify().getIntact()).as("intact again once restored").isTrue();
    }

    @Test
    void verifyAuditLog_lastRecordsDeleted_reportsTheFirstMissing() throws Exception {
        auditedCallsOfNewProject();
        verify(); // writes everything queued: the project's records are now the last ones
        long last = Long.parseLong(text("SELECT CAST(last_sequence AS CHAR) FROM audit_head WHERE id = ?", 1));
        List<Object[]> saved = rowsFrom(last - 1, 2);

        execute("DELETE FROM audit_record WHERE sequence BETWEEN ? AND ?", last - 1, last);
        VerifyAuditLogResponse verdict;
        try {
            verdict = verify();
        } finally {
            insert(saved);
        }

        assertThat(verdict.getIntact()).isFalse();
        // Whether a record was appended meanwhile (then a gap) or not (then the head names more), the first
        // missing record is the same.
        assertThat(verdict.getFirstBadSequence()).isEqualTo(last - 1);
        assertThat(verdict.getProblem()).contains("missing");
        assertThat(verify().getIntact()).as("intact again once restored").isTrue();
    }

    /** Two audited calls on a new project; their records, oldest first. */
    private static List<AuditRecord> auditedCallsOfNewProject() {
        String project = Api.uniqueId("audit");
        Api.projects().updateProjectEncryption(enableLocal(project));
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));
        verify();
        List<AuditRecord> records = Api.audit().listAuditRecords(ListAuditRecordsRequest.newBuilder()
                .setProjectId(project).build()).getRecordsList();
        assertThat(records).hasSizeGreaterThanOrEqualTo(2);
        return records;
    }

    private static VerifyAuditLogResponse verify() {
        return Api.audit().verifyAuditLog(VerifyAuditLogRequest.getDefaultInstance());
    }

    private String text(String sql, long parameter) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            select.setLong(1, parameter);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).as("a row for %s", parameter).isTrue();
                return row.getString(1);
            }
        }
    }

    private void execute(String sql, Object... parameters) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement update = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                update.setObject(i + 1, parameters[i]);
            }
            assertThat(update.executeUpdate()).as(sql).isPositive();
        }
    }

    /** {@code count} whole rows from {@code sequence} on, every column as the driver hands it over. */
    private List<Object[]> rowsFrom(long sequence, int count) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(ROW)) {
            select.setLong(1, sequence);
            try (ResultSet row = select.executeQuery()) {
                while (rows.size() < count && row.next()) {
                    Object[] values = new Object[8];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = row.getObject(i + 1);
                    }
                    rows.add(values);
                }
            }
        }
        assertThat(rows).hasSize(count);
        return rows;
    }

    private void insert(List<Object[]> rows) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO audit_record (sequence, record_time, actor, action, resource, outcome, detail, mac)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Object[] values : rows) {
                for (int i = 0; i < values.length; i++) {
                    insert.setObject(i + 1, values[i]);
                }
                insert.executeUpdate();
            }
        }
    }
}
