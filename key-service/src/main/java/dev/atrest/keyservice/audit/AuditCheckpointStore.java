package dev.atrest.keyservice.audit;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Retention's side of the audit tables: pruning the oldest records behind a MAC'd checkpoint (V6). */
@ApplicationScoped
public class AuditCheckpointStore {
    private final DataSource dataSource;

    AuditCheckpointStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The checkpoint as stored, verified or not. */
    public Optional<AuditCheckpoint> checkpoint() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return read(c);
        }
    }

    /**
     * Prunes, in one transaction, up to {@code limit} of the oldest records recorded before {@code cutoff}
     * and moves the checkpoint past them; what may go is decided by {@link RetentionCut}.
     *
     * @throws IllegalStateException when the stored checkpoint does not verify (retention stops)
     */
    public RetentionCut pruneBatch(Instant cutoff, int limit, AuditChain chain, CheckpointSeal seal, Instant now)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // Locked: a second pruner (a run overlapping another after a writer change) waits, then goes on from
                // the checkpoint the first one left.
                Optional<AuditCheckpoint> start = read(c, true);
                if (start.isPresent() && !seal.verifies(start.get())) {
                    throw new IllegalStateException("the audit retention checkpoint does not match its MAC (forged or"
                            + " altered): retention stops until VerifyAuditLog is intact again");
                }
                long after = start.map(AuditCheckpoint::sequence).orElse(0L);
                RetentionCut cut = RetentionCut.of(start, oldest(c, after, limit), cutoff, chain);
                if (cut.count() > 0) {
                    delete(c, after, cut.last().sequence());
                    write(c, seal.seal(cut.last().sequence(), cut.last().mac(), cut.last().time(),
                            start.map(AuditCheckpoint::prunedCount).orElse(0L) + cut.count(), now));
                }
                c.commit();
                return cut;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    static Optional<AuditCheckpoint> read(Connection c) throws SQLException {
        return read(c, false);
    }

    private static Optional<AuditCheckpoint> read(Connection c, boolean lock) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT sequence, mac, record_time, pruned_count,"
                + " checkpoint_time, checkpoint_mac FROM audit_checkpoint WHERE id = 1" + (lock ? " FOR UPDATE" : ""));
             ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                return Optional.empty();
            }
            return Optional.of(new AuditCheckpoint(row.getLong(1), row.getBytes(2), instant(row, 3), row.getLong(4),
                    instant(row, 5), row.getBytes(6)));
        }
    }

    private static List<StoredRecord> oldest(Connection c, long after, int limit) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + AuditRecordStore.COLUMNS
                + " FROM audit_record WHERE sequence > ? ORDER BY sequence LIMIT ?")) {
            select.setLong(1, after);
            select.setInt(2, limit);
            return AuditRecordStore.read(select);
        }
    }

    private static void delete(Connection c, long after, long last) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement(
                "DELETE FROM audit_record WHERE sequence > ? AND sequence <= ?")) {
            delete.setLong(1, after);
            delete.setLong(2, last);
            delete.executeUpdate();
        }
    }

    private static void write(Connection c, AuditCheckpoint checkpoint) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO audit_checkpoint (id, sequence, mac,"
                + " record_time, pruned_count, checkpoint_time, checkpoint_mac) VALUES (1, ?, ?, ?, ?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE sequence = VALUES(sequence), mac = VALUES(mac),"
                + " record_time = VALUES(record_time), pruned_count = VALUES(pruned_count),"
                + " checkpoint_time = VALUES(checkpoint_time), checkpoint_mac = VALUES(checkpoint_mac)")) {
            upsert.setLong(1, checkpoint.sequence());
            upsert.setBytes(2, checkpoint.mac());
            upsert.setString(3, AuditRecordStore.utcDateTimeLiteral(checkpoint.recordTime()));
            upsert.setLong(4, checkpoint.prunedCount());
            upsert.setString(5, AuditRecordStore.utcDateTimeLiteral(checkpoint.checkpointTime()));
            upsert.setBytes(6, checkpoint.checkpointMac());
            upsert.executeUpdate();
        }
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        return row.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }
}
