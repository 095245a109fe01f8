package dev.atrest.keyservice.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The embedded default keeps its data across restarts, and refuses a directory it would wipe. */
class EmbeddedMariaDbTest {

    @Test
    void start_sameDataDirectoryAgain_findsEarlierData() throws Exception {
        Path dataDir = Path.of("target", "test-data", "restart-" + UUID.randomUUID().toString().substring(0, 8));
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir);
             Connection c = DriverManager.getConnection(db.jdbcUrl(), db.account().user(), db.account().password());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE survivor (id INT PRIMARY KEY, note VARCHAR(32))");
            s.execute("INSERT INTO survivor VALUES (1, 'still here')");
        }

        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir);
             Connection c = DriverManager.getConnection(db.jdbcUrl(), db.account().user(), db.account().password());
             Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT note FROM survivor WHERE id = 1")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("still here");
        }
    }

    @Test
    void start_serverLeftRunningByAKilledService_isStoppedAndReplaced() throws Exception {
        Path dataDir = Path.of("target", "test-data", "orphan-" + UUID.randomUUID().toString().substring(0, 8));
        Process killed = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AbandoningService.class.getName(), dataDir.toString())
                .redirectErrorStream(true).redirectOutput(dataDir.resolveSibling(dataDir.getFileName() + ".log").toFile())
                .start();
        assertThat(killed.waitFor(5, TimeUnit.MINUTES)).as("the abandoning service finished").isTrue();
        assertThat(killed.exitValue()).isEqualTo(AbandoningService.HALTED);

        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir);
             Connection c = DriverManager.getConnection(db.jdbcUrl(), db.account().user(), db.account().password());
             Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT id FROM survivor")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(7);
        }
    }

    @Test
    void start_dataDirectoryInUseByALiveService_refused() {
        Path dataDir = Path.of("target", "test-data", "busy-" + UUID.randomUUID().toString().substring(0, 8));
        try (EmbeddedMariaDb running = EmbeddedMariaDb.start(dataDir)) {
            assertThatThrownBy(() -> EmbeddedMariaDb.start(dataDir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another atrest key service is using the data directory");
        }
    }

    @Test
    void start_underJavaTmpdir_refusedBeforeAnythingIsDeleted() {
        Path underTmp = Path.of(System.getProperty("java.io.tmpdir"), "atrest-data-" + UUID.randomUUID());

        assertThatThrownBy(() -> EmbeddedMariaDb.start(underTmp))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("atrest.data-dir");
    }
}
