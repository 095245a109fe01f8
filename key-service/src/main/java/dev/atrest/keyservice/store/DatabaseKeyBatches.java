package dev.atrest.keyservice.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.Session;

/**
 * The re-wrap's bulk reads and writes, in plain JDBC on the current transaction's connection: a
 * rotation moves every database key of a cluster, and loading 100,000 entities to change two columns
 * would cost far more than the cryptography.
 */
@ApplicationScoped
public class DatabaseKeyBatches {
    private final EntityManager entityManager;

    DatabaseKeyBatches(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Up to {@code limit} live keys of the cluster wrapped by a version older than {@code version}, by id. */
    public List<WrappedDatabaseKey> wrappedBefore(String projectId, String clusterName, int version, long afterId,
                                                  int limit) {
        return session().doReturningWork(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, database_name, version, master_key_version, wrapped_key FROM database_key"
                            + " WHERE project_id = ? AND cluster_name = ? AND master_key_version < ? AND id > ?"
                            + " AND state <> 'DESTROYED' ORDER BY id LIMIT ?")) {
                select.setString(1, projectId);
                select.setString(2, clusterName);
                select.setInt(3, version);
                select.setLong(4, afterId);
                select.setInt(5, limit);
                List<WrappedDatabaseKey> keys = new ArrayList<>(limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        keys.add(new WrappedDatabaseKey(rows.getLong(1), rows.getString(2), rows.getInt(3),
                                rows.getInt(4), rows.getBytes(5)));
                    }
                }
                return keys;
            }
        });
    }

    /**
     * Stores each key's new wrapping, as a compare-and-set on the version it was read under: a row that
     * moved meanwhile is left alone. Returns how many rows changed.
     */
    public int rewrap(List<WrappedDatabaseKey> read, List<byte[]> rewrapped, int toVersion, Instant now) {
        return session().doReturningWork(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE database_key SET master_key_version = ?, wrapped_key = ?, update_time = ?"
                            + " WHERE id = ? AND master_key_version = ?")) {
                // As Hibernate stores instants (quarkus.hibernate-orm.jdbc.timezone=UTC), whatever the JVM's zone.
                LocalDateTime time = LocalDateTime.ofInstant(now, ZoneOffset.UTC);
                for (int i = 0; i < read.size(); i++) {
                    update.setInt(1, toVersion);
                    update.setBytes(2, rewrapped.get(i));
                    update.setObject(3, time);
                    update.setLong(4, read.get(i).id());
                    update.setInt(5, read.get(i).masterKeyVersion());
                    update.addBatch();
                }
                int changed = 0;
                for (int count : update.executeBatch()) {
                    changed += count > 0 ? count : 0;
                }
                return changed;
            }
        });
    }

    /** Live keys of the cluster: how many there are, and how many {@code version} wraps. */
    public KeyCounts count(String projectId, String clusterName, int version) {
        return session().doReturningWork(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT COUNT(*), COALESCE(SUM(master_key_version = ?), 0) FROM database_key"
                            + " WHERE project_id = ? AND cluster_name = ? AND state <> 'DESTROYED'")) {
                select.setInt(1, version);
                select.setString(2, projectId);
                select.setString(3, clusterName);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    return new KeyCounts(row.getLong(1), row.getLong(2));
                }
            }
        });
    }

    private Session session() {
        return entityManager.unwrap(Session.class);
    }

    /** @param wrappedByVersion live keys wrapped by the version asked about */
    public record KeyCounts(long total, long wrappedByVersion) {}
}
