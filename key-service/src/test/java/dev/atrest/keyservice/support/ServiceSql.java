package dev.atrest.keyservice.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;

/**
 * SQL typed with the service's own database credentials: what attacker class (b) of docs/security.md (a DBA,
 * the application's account, a restored backup) can do to the rows, with nothing of the service's keys.
 */
public final class ServiceSql {
    private final DataSource dataSource;

    public ServiceSql(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs one statement; answers the rows it changed. */
    public int execute(String sql, Object... parameters) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        }
    }

    /** Whole rows, every column as the driver hands it over. */
    public List<Object[]> rows(String sql, Object... parameters) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            bind(select, parameters);
            try (ResultSet row = select.executeQuery()) {
                int columns = row.getMetaData().getColumnCount();
                while (row.next()) {
                    Object[] values = new Object[columns];
                    for (int i = 0; i < columns; i++) {
                        values[i] = row.getObject(i + 1);
                    }
                    rows.add(values);
                }
            }
        }
        return rows;
    }

    /** Puts back rows read by {@link #rows} with SELECT * (columns in table order): a restore from a copy. */
    public void insert(String table, List<Object[]> rows) throws SQLException {
        for (Object[] values : rows) {
            execute("INSERT INTO " + table + " VALUES (" + String.join(", ", Collections.nCopies(values.length, "?"))
                    + ")", values);
        }
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }
}
