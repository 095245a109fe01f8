package dev.atrest.keyservice.audit;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The audit tables, in plain JDBC on connections of their own: the writer thread appends outside any
 * request's transaction, and verification reads one consistent snapshot however long the log is.
 */
@ApplicationScoped
public class AuditRecordStore implements AuditAppender {
    static final String COLUMNS = "sequence, record_time, actor, action, resource, outcome, detail, mac";
    private static final int VERIFY_PAGE = 1000;
    /**
     * One row, sent as a JDBC batch: MariaDB Connector/J sends a batch of inserts as one binary
     * COM_STMT_BULK_EXECUTE (useBulkStmtsForInserts, on by default), which the server does not parse per row
     * as it does a multi-row INSERT in text.
     */
    private static final String INSERT = "INSERT INTO audit_record (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;

    AuditRecordStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Appends {@code pending} in order, in one transaction that holds the head row's lock (so writers
     * on several replicas take turns), and returns the head it leaves. All or nothing.
     */
    @Override
    public ChainHead append(List<PendingRecord> pending, AuditChain chain) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                ChainHead head = readHead(c, true);
                long sequence = head.lastSequence();
                byte[] mac = head.lastMac();
                try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                    for (PendingRecord record : pending) {
                        sequence++;
                        mac = chain.mac(mac, sequence, record.time(), record.event());
                        bind(insert, sequence, record, mac);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                try (PreparedStatement update = c.prepareStatement(
                        "UPDATE audit_head SET last_sequence = ?, last_mac = ? WHERE id = 1")) {
                    update.setLong(1, sequence);
                    update.setBytes(2, mac);
                    update.executeUpdate();
                }
                c.commit();
                return new ChainHead(sequence, mac);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Up to {@code limit} records after {@code afterSequence}, oldest first; with a project, only those
     * whose resource is the project or lies under it.
     */
    public List<StoredRecord> page(long afterSequence, Optional<String> projectId, int limit) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM audit_record WHERE sequence > ?"
                + (projectId.isPresent() ? " AND (resource = ? OR resource LIKE ?)" : "")
                + " ORDER BY sequence LIMIT ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            int p = 1;
            select.setLong(p++, afterSequence);
            if (projectId.isPresent()) {
                String resource = AuditEvent.project(projectId.get());
                select.setString(p++, resource);
                select.setString(p++, likeEscaped(resource) + "/%");
            }
            select.setInt(p, limit);
            return read(select);
        }
    }

    /** Feeds every record to {@code check} in sequence order, from one snapshot, and returns its verdict. */
    public ChainVerdict verify(ChainCheck check) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setAutoCommit(false); // the head and every page come from the snapshot of the first read
            try {
                ChainHead head = readHead(c, false);
                check.startFrom(AuditCheckpointStore.read(c));
                long after = Long.MIN_VALUE; // a record inserted with sequence 0 or below is read too
                while (true) {
                    List<StoredRecord> page = pageForVerify(c, after);
                    for (StoredRecord record : page) {
                        if (!check.accept(record)) {
                            return check.finish(head);
                        }
                    }
                    if (page.size() < VERIFY_PAGE) {
                        return check.finish(head);
                    }
                    after = page.get(page.size() - 1).sequence();
                }
            } finally {
                c.rollback();
            }
        }
    }

    /** The stored head as it is now (start-up's comparison with the anchor). */
    public ChainHead head() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return readHead(c, false);
        }
    }

    /** The MAC stored with record {@code sequence}, if that record is there. */
    public Optional<byte[]> macAt(long sequence) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT mac FROM audit_record WHERE sequence = ?")) {
            select.setLong(1, sequence);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getBytes(1)) : Optional.empty();
            }
        }
    }

    private static List<StoredRecord> pageForVerify(Connection c, long after) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS
                + " FROM audit_record WHERE sequence > ? ORDER BY sequence LIMIT " + VERIFY_PAGE)) {
            select.setLong(1, after);
            return read(select);
        }
    }

    static ChainHead readHead(Connection c, boolean lock) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT last_sequence, last_mac FROM audit_head WHERE id = 1" + (lock ? " FOR UPDATE" : ""));
             ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                throw new IllegalStateException("the audit_head row is missing: the audit log cannot be appended");
            }
            return new ChainHead(row.getLong(1), row.getBytes(2));
        }
    }

    private static void bind(PreparedStatement insert, long sequence, PendingRecord record, byte[] mac)
            throws SQLException {
        AuditEvent event = record.event();
        insert.setLong(1, sequence);
        insert.setString(2, utcDateTimeLiteral(record.time()));
        insert.setString(3, event.actor());
        insert.setString(4, event.action());
        insert.setString(5, event.resource());
        insert.setString(6, event.outcome());
        insert.setString(7, event.detail());
        insert.setBytes(8, mac);
    }

    /**
     * The record's time as the DATETIME(6) literal "yyyy-MM-dd HH:mm:ss.ffffff" in UTC: what Hibernate stores
     * for an instant (quarkus.hibernate-orm.jdbc.timezone=UTC) whatever the JVM's zone, and the text the
     * driver would send for that LocalDateTime. The driver formats it with a DateTimeFormatter (fractions go
     * through BigDecimal), which was a fifth of the writer's time under load.
     */
    static String utcDateTimeLiteral(Instant time) {
        LocalDateTime utc = LocalDateTime.ofInstant(time, ZoneOffset.UTC);
        StringBuilder text = new StringBuilder(26);
        digits(text, utc.getYear(), 4).append('-');
        digits(text, utc.getMonthValue(), 2).append('-');
        digits(text, utc.getDayOfMonth(), 2).append(' ');
        digits(text, utc.getHour(), 2).append(':');
        digits(text, utc.getMinute(), 2).append(':');
        digits(text, utc.getSecond(), 2).append('.');
        return digits(text, utc.getNano() / 1_000, 6).toString();
    }

    private static StringBuilder digits(StringBuilder text, int value, int width) {
        String number = Integer.toString(value);
        for (int pad = number.length(); pad < width; pad++) {
            text.append('0');
        }
        return text.append(number);
    }

    static List<StoredRecord> read(PreparedStatement select) throws SQLException {
        List<StoredRecord> records = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                records.add(new StoredRecord(rows.getLong(1),
                        rows.getObject(2, LocalDateTime.class).toInstant(ZoneOffset.UTC),
                        new AuditEvent(rows.getString(3), rows.getString(4), rows.getString(5), rows.getString(6),
                                rows.getString(7)),
                        rows.getBytes(8)));
            }
        }
        return records;
    }

    private static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
