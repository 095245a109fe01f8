package dev.atrest.keyservice.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The embedded default keeps its data across restarts, and refuses a directory it would wipe. */
class EmbeddedMariaDbTest {

    @Test
    void start_sameDataDirectoryAgain_findsEarlierData() throws Exception {
        Path dataDir = Path.of("target", "test-data", "restart-" + UUID.randomUUID());
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir);
             Connection c = DriverManager.getConnection(db.jdbcUrl(), "root", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE survivor (id INT PRIMARY KEY, note VARCHAR(32))");
            s.execute("INSERT INTO survivor VALUES (1, 'still here')");
        }

        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir);
             Connection c = DriverManager.getConnection(db.jdbcUrl(), "root", "");
             Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT note FROM survivor WHERE id = 1")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("still here");
        }
    }

    @Test
    void start_serverLeftRunningByAKilledService_isStoppedAndReplaced() throws Exception {
        Path dataDir = Path.of("target", "test-data", "orphan-" + UUID.randomUUID());
        EmbeddedMariaDb abandoned = EmbeddedMariaDb.start(dataDir); // as if its JVM died by SIGKILL
        try (Connection c = DriverManager.getConnection(abandoned.jdbcUrl(), "root", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE survivor (id INT PRIMARY KEY)");
            s.execute("INSERT INTO survivor VALUES (7)");
        }

        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir);
             Connection c = DriverManager.getConnection(db.jdbcUrl(), "root", "");
             Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT id FROM survivor")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(7);
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
