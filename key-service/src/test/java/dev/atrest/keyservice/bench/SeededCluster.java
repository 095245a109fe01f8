package dev.atrest.keyservice.bench;

import dev.atrest.keyservice.crypto.Aad;
import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.crypto.KeyWrapper;
import dev.atrest.keyservice.domain.LocalKeySettings;
import dev.atrest.keyservice.kms.LocalRootKeyProvider;
import dev.atrest.keyservice.kms.MasterKeyContext;
import dev.atrest.keyservice.kms.WrappedMasterKey;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A LOCAL cluster's database keys written straight into {@code database_key} by JDBC batch, each wrapped
 * exactly as {@code DatabaseKeys} wraps a new key, so the service rotates them like any other. Also the
 * benchmark's baseline: a plain batch update of the same rows on the same pool.
 */
final class SeededCluster {
    private static final int SAMPLES = 10;

    final String projectId;
    final String clusterName;
    final int count;
    /** Hex plaintext of a few keys by database name, to check after the rotation that they still unwrap. */
    final Map<String, String> samples = new LinkedHashMap<>();

    private SeededCluster(String projectId, String clusterName, int count) {
        this.projectId = projectId;
        this.clusterName = clusterName;
        this.count = count;
    }

    /** Seeds databases {@code db0 .. db<count-1>}, version 1, under the cluster's current master key. */
    static SeededCluster seed(DataSource dataSource, LocalRootKeyProvider localRoot, KeyWrapper wrapper,
                              String projectId, String clusterName, int count, int batchSize) throws SQLException {
        SeededCluster seeded = new SeededCluster(projectId, clusterName, count);
        SecureRandom random = new SecureRandom();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            int version = currentVersion(connection, projectId, clusterName);
            try (KeyMaterial masterKey = openMasterKey(connection, localRoot, projectId, clusterName, version);
                 PreparedStatement insert = connection.prepareStatement("INSERT INTO database_key (project_id,"
                         + " cluster_name, database_name, version, state, master_key_version, wrapped_key, create_time,"
                         + " update_time) VALUES (?, ?, ?, 1, 'ACTIVE', ?, ?, ?, ?)")) {
                LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
                int every = Math.max(1, count / SAMPLES);
                for (int i = 0; i < count; i++) {
                    String database = "db" + i;
                    try (KeyMaterial key = KeyMaterial.generate(random)) {
                        if (i % every == 0 || i == count - 1) {
                            seeded.samples.put(database, HexFormat.of().formatHex(key.copyBytes()));
                        }
                        insert.setString(1, projectId);
                        insert.setString(2, clusterName);
                        insert.setString(3, database);
                        insert.setInt(4, version);
                        insert.setBytes(5, wrapper.wrapKey(masterKey, key,
                                Aad.forDatabaseKey(projectId, clusterName, database, 1, version)));
                        insert.setObject(6, now);
                        insert.setObject(7, now);
                    }
                    insert.addBatch();
                    if ((i + 1) % batchSize == 0 || i == count - 1) {
                        insert.executeBatch();
                        connection.commit();
                    }
                }
            }
        }
        return seeded;
    }

    /**
     * The baseline: {@code UPDATE database_key SET wrapped_key = ?, update_time = ? WHERE id = ?} for every
     * key of the cluster, in batches of {@code batchSize} with a commit each, as the re-wrap writes. It
     * writes back the bytes each row holds (read before the clock starts), so the keys stay usable.
     * Returns the wall time in nanoseconds.
     */
    long rawUpdate(DataSource dataSource, int batchSize) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            List<Row> rows = rows(connection);
            connection.commit();
            if (rows.size() != count) {
                throw new IllegalStateException("expected " + count + " rows, found " + rows.size());
            }
            long start = System.nanoTime();
            long changed = 0;
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE database_key SET wrapped_key = ?, update_time = ? WHERE id = ?")) {
                for (int from = 0; from < rows.size(); from += batchSize) {
                    LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
                    for (Row row : rows.subList(from, Math.min(from + batchSize, rows.size()))) {
                        update.setBytes(1, row.wrappedKey());
                        update.setObject(2, now);
                        update.setLong(3, row.id());
                        update.addBatch();
                    }
                    for (int updated : update.executeBatch()) {
                        changed += updated;
                    }
                    connection.commit();
                }
            }
            long took = System.nanoTime() - start;
            if (changed != count) {
                throw new IllegalStateException("the baseline updated " + changed + " rows, not " + count);
            }
            return took;
        }
    }

    /**
     * The baseline that writes what the re-wrap writes: {@code UPDATE database_key SET master_key_version
     * = ?, wrapped_key = ?, update_time = ? WHERE id = ? AND master_key_version = ?}, so the database pays
     * the same index and foreign-key upkeep (master_key_version is in both) but nothing is read, decrypted
     * or encrypted. Two passes: every row to {@code otherVersion} (a stored version, e.g. the one the last
     * rotation left) with random bytes, then back with its own bytes, so the keys stay usable. Returns the
     * wall time of each pass in nanoseconds.
     */
    List<Long> rawUpdateSameColumns(DataSource dataSource, int batchSize, int currentVersion, int otherVersion)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            List<Row> rows = rows(connection);
            connection.commit();
            SecureRandom random = new SecureRandom();
            List<byte[]> noise = new ArrayList<>(rows.size());
            for (Row row : rows) {
                byte[] bytes = new byte[row.wrappedKey().length];
                random.nextBytes(bytes);
                noise.add(bytes);
            }
            List<byte[]> own = rows.stream().map(Row::wrappedKey).toList();
            return List.of(flip(connection, rows, noise, currentVersion, otherVersion, batchSize),
                    flip(connection, rows, own, otherVersion, currentVersion, batchSize));
        }
    }

    private long flip(Connection connection, List<Row> rows, List<byte[]> bytes, int from, int to, int batchSize)
            throws SQLException {
        long start = System.nanoTime();
        long changed = 0;
        try (PreparedStatement update = connection.prepareStatement("UPDATE database_key SET master_key_version = ?,"
                + " wrapped_key = ?, update_time = ? WHERE id = ? AND master_key_version = ?")) {
            for (int from0 = 0; from0 < rows.size(); from0 += batchSize) {
                LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
                for (int i = from0; i < Math.min(from0 + batchSize, rows.size()); i++) {
                    update.setInt(1, to);
                    update.setBytes(2, bytes.get(i));
                    update.setObject(3, now);
                    update.setLong(4, rows.get(i).id());
                    update.setInt(5, from);
                    update.addBatch();
                }
                for (int updated : update.executeBatch()) {
                    changed += updated;
                }
                connection.commit();
            }
        }
        if (changed != count) {
            throw new IllegalStateException("the baseline moved " + changed + " rows, not " + count);
        }
        return System.nanoTime() - start;
    }

    private List<Row> rows(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, wrapped_key FROM database_key WHERE project_id = ? AND cluster_name = ? ORDER BY id")) {
            select.setString(1, projectId);
            select.setString(2, clusterName);
            List<Row> rows = new ArrayList<>(count);
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(new Row(result.getLong(1), result.getBytes(2)));
                }
            }
            return rows;
        }
    }

    private static int currentVersion(Connection connection, String projectId, String clusterName) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT master_key_version FROM cluster_encryption WHERE project_id = ? AND cluster_name = ?")) {
            select.setString(1, projectId);
            select.setString(2, clusterName);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("cluster " + clusterName + " is not encrypted");
                }
                return row.getInt(1);
            }
        }
    }

    /** The master key's plaintext, read from its row and unwrapped by the LOCAL root key as the service does. */
    private static KeyMaterial openMasterKey(Connection connection, LocalRootKeyProvider localRoot, String projectId,
                                             String clusterName, int version) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT wrapping_key_id, wrapped_key FROM master_key"
                + " WHERE project_id = ? AND cluster_name = ? AND version = ?")) {
            select.setString(1, projectId);
            select.setString(2, clusterName);
            select.setInt(3, version);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                String wrappingKeyId = row.getString(1);
                LocalKeySettings root = new LocalKeySettings(wrappingKeyId.substring("local:".length()));
                return localRoot.decryptMasterKey(root, new WrappedMasterKey(wrappingKeyId, row.getBytes(2)),
                        MasterKeyContext.of(projectId, clusterName, version));
            }
        }
    }

    private record Row(long id, byte[] wrappedKey) {}
}
