package dev.atrest.keyservice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What the engine tests write and read back: rows carrying a marker string in an InnoDB table under MariaDB's
 * default key id 1, one under key id 2, and a (transactional, hence logged) Aria table; each row is its own
 * insert, so the redo log, the Aria log and the binary log all carry it. {@link #holdTemporaryData} puts the
 * marker into every kind of temporary file too and keeps them open for a scan.
 */
final class MarkerTables {
    static final String DATABASE = "engine_it";
    static final List<String> TABLES = List.of("orders_innodb", "orders_key2", "orders_aria", "orders_aria_logged");
    private static final int ROWS = 300;

    private final String marker;
    private final String loggedMarker;

    /**
     * @param loggedMarker the notes of the transactional Aria table: MariaDB writes its rows into the Aria log
     *                     (aria_log.*), which it does not encrypt, so they carry a marker of their own
     */
    MarkerTables(String marker, String loggedMarker) {
        this.marker = marker;
        this.loggedMarker = loggedMarker;
    }

    void create(EngineServer server) {
        server.execute("CREATE DATABASE IF NOT EXISTS " + DATABASE,
                "CREATE TABLE " + DATABASE + ".orders_innodb (id INT PRIMARY KEY, note VARCHAR(200)) ENGINE=InnoDB",
                "CREATE TABLE " + DATABASE + ".orders_key2 (id INT PRIMARY KEY, note VARCHAR(200)) ENGINE=InnoDB"
                        + " ENCRYPTION_KEY_ID=2",
                // Not transactional: the rows of a transactional Aria table also go to the Aria log, in clear.
                "CREATE TABLE " + DATABASE + ".orders_aria (id INT PRIMARY KEY, note VARCHAR(200)) ENGINE=Aria"
                        + " TRANSACTIONAL=0",
                "CREATE TABLE " + DATABASE + ".orders_aria_logged (id INT PRIMARY KEY, note VARCHAR(200)) ENGINE=Aria"
                        + " TRANSACTIONAL=1");
        try (Connection c = server.connect()) {
            for (String table : TABLES) {
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO " + DATABASE + "." + table + " VALUES (?, ?)")) {
                    for (int id = 1; id <= ROWS; id++) {
                        insert.setInt(1, id);
                        insert.setString(2, note(table, id));
                        insert.executeUpdate();
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Every row of every table reads back with its marker note. */
    void assertReadBack(EngineServer server) throws SQLException {
        for (String table : TABLES) {
            List<List<String>> rows = server.query("SELECT id, note FROM " + DATABASE + "." + table + " ORDER BY id");
            assertThat(rows).as("rows of %s", table).hasSize(ROWS);
            for (List<String> row : rows) {
                assertThat(row.get(1)).as("%s row %s", table, row.get(0)).isEqualTo(note(table, Integer.parseInt(row.get(0))));
            }
        }
    }

    /**
     * Session temporary tables (InnoDB, in ibtmp1; Aria, in tmpdir), then on two more connections a sort that spills
     * to merge files and a GROUP BY that spills to an on-disk internal temporary table, each suspended mid-result
     * (the client reads one row of a streamed result), so their files stay open until the handle is closed.
     */
    TemporaryData holdTemporaryData(EngineServer server) throws SQLException {
        List<AutoCloseable> open = new ArrayList<>();
        Connection session = server.connect();
        open.add(session);
        try (Statement s = session.createStatement()) {
            s.execute("CREATE TEMPORARY TABLE " + DATABASE + ".tmp_innodb ENGINE=InnoDB"
                    + " SELECT seq AS id, CONCAT(REPEAT('x', 100), '" + marker + "', seq) AS note FROM " + DATABASE + ".seq_1_to_150000");
            s.execute("CREATE TEMPORARY TABLE " + DATABASE + ".tmp_aria ENGINE=Aria"
                    + " SELECT seq AS id, CONCAT(REPEAT('x', 100), '" + marker + "', seq) AS note FROM " + DATABASE + ".seq_1_to_60000");
        }
        open.add(suspended(server, "SET SESSION sort_buffer_size = 32768",
                "SELECT id, CONCAT(note, REPEAT('y', 200)) AS wide FROM " + DATABASE + ".big ORDER BY wide DESC"));
        open.add(suspended(server, "SET SESSION tmp_table_size = 16384, max_heap_table_size = 16384",
                "SELECT note, COUNT(*) FROM " + DATABASE + ".big GROUP BY note"));
        return new TemporaryData(open);
    }

    /** The source of the spilling queries, written before MariaDB's files are scanned (so it is scanned too). */
    void createBigTable(EngineServer server) {
        server.execute("CREATE TABLE " + DATABASE + ".big (id INT PRIMARY KEY, note VARCHAR(200)) ENGINE=InnoDB",
                "INSERT INTO " + DATABASE + ".big SELECT seq, CONCAT('" + marker + "', seq) FROM " + DATABASE + ".seq_1_to_60000");
    }

    private static AutoCloseable suspended(EngineServer server, String setup, String query) throws SQLException {
        Connection c = server.connect();
        Statement s = c.createStatement();
        s.execute(setup);
        s.setFetchSize(1); // streamed: the server blocks writing the rest while this client does not read
        ResultSet rs = s.executeQuery(query);
        rs.next();
        return () -> {
            s.cancel();
            c.close();
        };
    }

    private String note(String table, int id) {
        return (table.equals("orders_aria_logged") ? loggedMarker : marker) + " order " + id;
    }

    /** The open connections holding temporary data; closing them drops it. */
    record TemporaryData(List<AutoCloseable> open) implements AutoCloseable {
        @Override
        public void close() {
            for (AutoCloseable each : open) {
                try {
                    each.close();
                } catch (Exception ignored) {
                    // the connection is going away anyway
                }
            }
        }
    }
}
