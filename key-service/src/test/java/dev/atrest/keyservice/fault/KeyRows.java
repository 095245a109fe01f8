package dev.atrest.keyservice.fault;

import dev.atrest.keyservice.support.ItDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Every stored row of a project's key hierarchy, read with plain SQL, as one comparable text: a call
 * that failed must leave it exactly as it was, so nothing is half-written.
 */
final class KeyRows {
    /**
     * The tables and the columns of theirs a failed call may still change. A validation that could not
     * reach KMS records when it was tried (an outage is never a verdict, so validity itself must not move).
     */
    private static final Map<String, Set<String>> TABLES = Map.of(
            "project_encryption", Set.of("last_validated_time", "update_time", "row_version"),
            "cmk_change", Set.of(),
            "cluster_encryption", Set.of(),
            "master_key", Set.of(),
            "database_key", Set.of());

    private final ItDatabase db;

    KeyRows(ItDatabase db) {
        this.db = db;
    }

    String snapshot(String project) {
        StringJoiner all = new StringJoiner("\n");
        TABLES.keySet().stream().sorted().forEach(table -> all.add(rows(table, project)));
        return all.toString();
    }

    /** When the project's CMK was last checked against KMS (by an update, a validation or the periodic check). */
    String lastValidated(String project) {
        String sql = "SELECT last_validated_time FROM project_encryption WHERE project_id = ?";
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, project);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private String rows(String table, String project) {
        // The primary key orders them; cmk_change's is project_id, the others' an id.
        String order = table.equals("cmk_change") ? "project_id" : "id";
        String sql = "SELECT * FROM " + table + " WHERE project_id = ? ORDER BY " + order;
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, project);
            try (ResultSet rows = s.executeQuery()) {
                ResultSetMetaData columns = rows.getMetaData();
                StringJoiner text = new StringJoiner("\n");
                while (rows.next()) {
                    StringJoiner row = new StringJoiner(", ", table + "(", ")");
                    for (int i = 1; i <= columns.getColumnCount(); i++) {
                        String name = columns.getColumnName(i);
                        if (!TABLES.get(table).contains(name)) {
                            Object value = rows.getObject(i);
                            row.add(name + "=" + (value instanceof byte[] b ? HexFormat.of().formatHex(b) : value));
                        }
                    }
                    text.add(row.toString());
                }
                return text.toString();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
