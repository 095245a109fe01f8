package dev.atrest.keyservice.grpc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Every stored row of every table, each tagged with who owns it (its project, or its access token), so a test
 * can compare the database before and after a run while leaving out what accepted calls were allowed to write.
 * The audit log is left out on purpose (every call, refused or not, is recorded), and so are Flyway's history
 * and the job locks (names only, no data). A table this class cannot attribute fails the read: a new table must
 * be taught here rather than silently skipped.
 */
final class StoredRows {
    private static final Set<String> NOT_DATA = Set.of("audit_record", "audit_head", "flyway_schema_history", "job_lock",
            "access_token_ledger_head", // where the revocation ledger ends; its entries belong to their tokens
            "audit_checkpoint"); // where the audit chain starts after retention pruned records
    /**
     * Tables whose owner is not simply their project_id column: rows that name neither a project nor a token,
     * and a token's project grants, which name a project but belong to the token (CreateAccessToken writes them).
     */
    private static final Map<String, String> OWNER_BY_JOIN = Map.of(
            "cluster_snapshot_database_key", "(SELECT s.project_id FROM cluster_snapshot s WHERE s.id = t.snapshot_row_id)",
            "access_token_project", "t.token_id");

    /** table → "owner | column=value, ..." per row, sorted. */
    private final Map<String, List<Row>> tables;

    private StoredRows(Map<String, List<Row>> tables) {
        this.tables = tables;
    }

    record Row(String owner, String values) {}

    static StoredRows read(DataSource dataSource) {
        Map<String, List<Row>> tables = new TreeMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet result = statement.executeQuery("SHOW TABLES")) {
                while (result.next()) {
                    names.add(result.getString(1).toLowerCase());
                }
            }
            for (String table : names) {
                if (!NOT_DATA.contains(table)) {
                    tables.put(table, rows(statement, table, owner(connection, table)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the stored rows", e);
        }
        return new StoredRows(tables);
    }

    /** The rows not owned by any of {@code owners} (projects or token ids that accepted calls wrote). */
    Map<String, List<String>> without(Set<String> owners) {
        Map<String, List<String>> kept = new TreeMap<>();
        tables.forEach((table, rows) -> kept.put(table, rows.stream().filter(row -> !owners.contains(row.owner()))
                .map(Row::values).sorted().toList()));
        return kept;
    }

    private static String owner(Connection connection, String table) throws SQLException {
        if (OWNER_BY_JOIN.containsKey(table)) {
            return OWNER_BY_JOIN.get(table);
        }
        try (ResultSet columns = connection.getMetaData().getColumns(connection.getCatalog(), null, table, null)) {
            List<String> names = new ArrayList<>();
            while (columns.next()) {
                names.add(columns.getString("COLUMN_NAME").toLowerCase());
            }
            if (names.contains("project_id")) {
                return "t.project_id";
            }
            if (names.contains("token_id")) {
                return "t.token_id";
            }
        }
        throw new IllegalStateException("table " + table + " names no project or token: teach StoredRows its owner");
    }

    private static List<Row> rows(Statement statement, String table, String owner) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery("SELECT " + owner + " AS fuzz_owner, t.* FROM " + table + " t")) {
            ResultSetMetaData meta = result.getMetaData();
            while (result.next()) {
                StringBuilder values = new StringBuilder();
                for (int column = 2; column <= meta.getColumnCount(); column++) {
                    values.append(meta.getColumnLabel(column)).append('=').append(result.getString(column)).append(", ");
                }
                rows.add(new Row(result.getString(1), values.toString()));
            }
        }
        return rows;
    }
}
