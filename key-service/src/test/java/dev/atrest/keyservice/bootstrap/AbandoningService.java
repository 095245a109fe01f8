package dev.atrest.keyservice.bootstrap;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Run in its own JVM by EmbeddedMariaDbTest: starts the embedded MariaDB, writes a row, and halts
 * without shutdown hooks, exactly as SIGKILL would leave things: MariaDB still running, lock freed.
 */
public final class AbandoningService {
    static final int HALTED = 42;

    private AbandoningService() {}

    public static void main(String[] args) throws Exception {
        EmbeddedMariaDb db = EmbeddedMariaDb.start(Path.of(args[0]));
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.account().user(), db.account().password());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE survivor (id INT PRIMARY KEY)");
            s.execute("INSERT INTO survivor VALUES (7)");
        }
        Runtime.getRuntime().halt(HALTED);
    }
}
