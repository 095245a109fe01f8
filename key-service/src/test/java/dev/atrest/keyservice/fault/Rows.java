package dev.atrest.keyservice.fault;

import dev.atrest.keyservice.support.ItDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What the fault tests read (and backdate) in MariaDB directly, also while no service is running. */
final class Rows {
    private final ItDatabase db;

    Rows(ItDatabase db) {
        this.db = db;
    }

    int version(String project, String cluster) {
        return Integer.parseInt(value("SELECT master_key_version FROM cluster_encryption WHERE project_id = ?"
                + " AND cluster_name = ?", project, cluster));
    }

    boolean rotating(String project, String cluster) {
        return value("SELECT rotation_started_time FROM cluster_encryption WHERE project_id = ? AND cluster_name = ?",
                project, cluster) != null;
    }

    /** The versions stored for the cluster's master key, in order. */
    List<Integer> masterKeyVersions(String project, String cluster) {
        return values("SELECT version FROM master_key WHERE project_id = ? AND cluster_name = ? ORDER BY version",
                project, cluster).stream().map(Integer::parseInt).toList();
    }

    /** Makes the cluster's master key look 91 days old: due by the default 90-day period. */
    void backdate(String project, String cluster) {
        update("UPDATE cluster_encryption SET master_key_activated_time = master_key_activated_time - INTERVAL 91 DAY"
                + " WHERE project_id = ? AND cluster_name = ?", project, cluster);
    }

    String localKeyId(String project) {
        return value("SELECT local_key_id FROM project_encryption WHERE project_id = ?", project);
    }

    boolean cmkChangeOpen(String project) {
        return value("SELECT COUNT(*) FROM cmk_change WHERE project_id = ?", project).equals("1");
    }

    Instant cmkLastChanged(String project) {
        String value = value("SELECT cmk_last_changed_time FROM project_encryption WHERE project_id = ?", project);
        return value == null ? null : Timestamp.valueOf(value).toInstant();
    }

    /** Master keys of the project not wrapped by {@code wrappingKeyId} under the project's current generation. */
    List<String> masterKeysNotUnder(String project, String wrappingKeyId) {
        return values("SELECT CONCAT(m.cluster_name, ' v', m.version, ' ', m.wrapping_key_id, ' gen ',"
                + " m.root_key_generation) FROM master_key m JOIN project_encryption p ON p.project_id = m.project_id"
                + " WHERE m.project_id = ? AND m.state <> 'DESTROYED'"
                + " AND (m.wrapping_key_id <> ? OR m.root_key_generation <> p.root_key_generation)",
                project, wrappingKeyId);
    }

    /** Clusters of the project stored as encrypted while the project is not: a state no rule allows. */
    List<String> clustersEncryptedInDisabledProject(String project) {
        return values("SELECT c.cluster_name FROM cluster_encryption c JOIN project_encryption p"
                + " ON p.project_id = c.project_id WHERE c.project_id = ? AND c.state = 'ENABLED' AND NOT p.enabled",
                project);
    }

    /** Databases of the project stored with more than one key (these tests never make a second version). */
    List<String> databasesWithSeveralKeys(String project) {
        return values("SELECT CONCAT(cluster_name, '/', database_name, ': ', COUNT(*), ' keys') FROM database_key"
                + " WHERE project_id = ? GROUP BY cluster_name, database_name HAVING COUNT(*) > 1", project);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String value(String sql, Object... args) {
        List<String> found = values(sql, args);
        return found.isEmpty() ? null : found.get(0);
    }

    private List<String> values(String sql, Object... args) {
        try (Connection c = db.connect(); PreparedStatement s = prepare(c, sql, args); ResultSet rows = s.executeQuery()) {
            List<String> found = new ArrayList<>();
            while (rows.next()) {
                found.add(rows.getString(1));
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private void update(String sql, Object... args) {
        try (Connection c = db.connect(); PreparedStatement s = prepare(c, sql, args)) {
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
        return s;
    }
}
