package dev.atrest.keyservice.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded MariaDB as an attacker one step closer than the network finds it: an unprivileged local
 * OS user gets no connection at all, and the application's own account (what a holder of the database
 * credentials has) reaches its schema but no file: not the seal key, not the bootstrap token.
 */
class EmbeddedMariaDbDoorsTest {
    private static final String SEAL_CANARY = "seal-canary-" + UUID.randomUUID();
    private static final String TOKEN_CANARY = "token-canary-" + UUID.randomUUID();
    private static Path dataDir;
    private static EmbeddedMariaDb db;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Path.of("target", "test-data", "doors-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        db = EmbeddedMariaDb.start(dataDir);
        port = Integer.parseInt(db.jdbcUrl().replaceAll("^.*:(\\d+)/.*$", "$1"));
        secretFile("seal.key", SEAL_CANARY);
        secretFile("bootstrap-admin-token", TOKEN_CANARY);
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE access_token (id INT PRIMARY KEY, secret_hash VARCHAR(64))");
            s.execute("INSERT INTO access_token VALUES (1, 'row-canary')");
        }
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void connectOverTcp_unprivilegedOsUserWithAnyName_refused() throws Exception {
        MariaDbClient nobody = MariaDbClient.asNobody(dataDir);
        for (String user : List.of("root", "atrest", "", "nobody", "mysql", "mariadb.sys", "PUBLIC", "admin")) {
            MariaDbClient.Outcome outcome = nobody.overTcp(port, user, null, readSecretsSql());
            assertThat(outcome.refused()).as("user '%s' without a password: %s", user, outcome.output()).isTrue();
            assertThat(outcome.output()).contains("Access denied").doesNotContain(SEAL_CANARY, TOKEN_CANARY, "row-canary");
        }
        MariaDbClient.Outcome guessed = nobody.overTcp(port, "atrest", "atrest", readSecretsSql());
        assertThat(guessed.output()).contains("Access denied").doesNotContain(SEAL_CANARY, TOKEN_CANARY);
    }

    @Test
    void connectOverTcp_unprivilegedOsUserWithThePassword_getsTheSchemaOnly() throws Exception {
        // The control for the refusals above: the client, the port and the user nobody all work; only
        // the password decides. What that password opens is class (b)'s share, checked further down.
        MariaDbClient.Outcome outcome = MariaDbClient.asNobody(dataDir)
                .overTcp(port, "atrest", db.account().password(), "SELECT CURRENT_USER(); " + readSecretsSql());
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("atrest@127.0.0.1", "row-canary").doesNotContain(SEAL_CANARY, TOKEN_CANARY);
    }

    @Test
    void connectOverSocket_unprivilegedOsUser_refused() throws Exception {
        MariaDbClient nobody = MariaDbClient.asNobody(dataDir);
        for (String user : List.of("root", "nobody")) {
            MariaDbClient.Outcome outcome = nobody.overSocket(db.socket(), user, readSecretsSql());
            assertThat(outcome.refused()).as(outcome.output()).isTrue();
            assertThat(outcome.output()).contains("Can't connect").doesNotContain(SEAL_CANARY, TOKEN_CANARY);
        }
        assertThat(Files.getPosixFilePermissions(db.socket().getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void accounts_afterStart_onlyRootOverTheSocketAndTheApplication() throws Exception {
        MariaDbClient serviceUser = MariaDbClient.asServiceUser(dataDir);
        String me = System.getProperty("user.name");
        MariaDbClient.Outcome accounts = serviceUser.overSocket(db.socket(), me,
                "SELECT CONCAT(User, '@', Host, ' ', JSON_VALUE(Priv, '$.plugin')) FROM mysql.global_priv ORDER BY 1; SHOW DATABASES");
        if ("root".equals(me)) {
            assertThat(accounts.exitCode()).as(accounts.output()).isZero();
            assertThat(accounts.output().lines().toList()).containsExactly(
                    "atrest@127.0.0.1 mysql_native_password",
                    "mariadb.sys@localhost mysql_native_password",
                    "root@localhost unix_socket",
                    "atrest", "information_schema", "mysql", "performance_schema", "sys");
        } else {
            assertThat(accounts.refused()).as("only the OS user root may use the socket: " + accounts.output()).isTrue();
        }
        assertThat(serviceUser.overTcp(port, "root", null, "SELECT 1").output()).contains("Access denied");
    }

    @Test
    void loadDataInfile_applicationAccount_refused() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS loot (line TEXT)");
            for (String file : List.of("seal.key", "bootstrap-admin-token", "database-password")) {
                assertThatThrownBy(() -> s.execute("LOAD DATA INFILE '" + dataDir.resolve(file) + "' INTO TABLE loot"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("Access denied");
            }
            assertThat(count(s, "SELECT COUNT(*) FROM loot")).isZero();
        }
    }

    @Test
    void loadDataLocalInfile_applicationAccountWithADriverThatAllowsIt_refusedByTheServer() throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl() + "?allowLocalInfile=true",
                db.account().user(), db.account().password());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS local_loot (line TEXT)");
            assertThatThrownBy(() -> s.execute("LOAD DATA LOCAL INFILE '" + dataDir.resolve("seal.key") + "' INTO TABLE local_loot"))
                    .isInstanceOf(SQLException.class);
            assertThat(count(s, "SELECT COUNT(*) FROM local_loot")).isZero();
        }
    }

    @Test
    void loadFile_applicationAccount_readsNothing() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(readSecretsSql())) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).isNull();
            assertThat(r.getString(2)).isNull();
        }
    }

    @Test
    void selectIntoOutfile_applicationAccount_refusedAndNothingWritten() throws Exception {
        List<Path> targets = List.of(dataDir.resolve("mariadb-files/dump.txt"), dataDir.resolve("written-by-sql.txt"));
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (Path target : targets) {
                assertThatThrownBy(() -> s.execute("SELECT secret_hash FROM access_token INTO OUTFILE '" + target + "'"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("Access denied");
                assertThat(target).doesNotExist();
            }
        }
    }

    @Test
    void showGrants_applicationAccount_onlyTheSchema() throws Exception {
        List<String> grants = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW GRANTS")) {
            while (r.next()) {
                grants.add(r.getString(1));
            }
        }
        assertThat(grants).hasSize(2);
        assertThat(grants.get(0)).startsWith("GRANT USAGE ON *.* TO `atrest`@`127.0.0.1`");
        assertThat(grants.get(1)).startsWith("GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP")
                .contains(" ON `atrest`.* TO `atrest`@`127.0.0.1`");
        assertThat(String.join("\n", grants)).doesNotContain("FILE", "SUPER", "PROCESS", "GRANT OPTION", "ALL PRIVILEGES",
                "CREATE USER", "RELOAD", "SHUTDOWN", "`mysql`");
    }

    @Test
    void serverSettings_afterStart_fileAccessAndNetworkShut() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT @@secure_file_priv, @@local_infile, @@bind_address, @@skip_name_resolve, @@skip_grant_tables")) {
            assertThat(r.next()).isTrue();
            assertThat(Path.of(r.getString(1))).isEqualTo(dataDir.resolve("mariadb-files"));
            assertThat(r.getInt(2)).as("local_infile").isZero();
            assertThat(r.getString(3)).isEqualTo("127.0.0.1");
            assertThat(r.getInt(4)).as("skip_name_resolve").isOne();
            assertThat(r.getInt(5)).as("skip_grant_tables").isZero();
        }
        assertThat(Files.getPosixFilePermissions(dataDir.resolve("mariadb-files"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(dataDir.resolve("mariadb"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(dataDir.resolve(DatabaseAccount.PASSWORD_FILE)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (var files = Files.list(dataDir.resolve("mariadb-files"))) {
            assertThat(files).isEmpty();
        }
    }

    private static String readSecretsSql() {
        return "SELECT LOAD_FILE('" + dataDir.resolve("seal.key") + "'), LOAD_FILE('" + dataDir.resolve("bootstrap-admin-token")
                + "'), (SELECT secret_hash FROM atrest.access_token WHERE id = 1)";
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.account().user(), db.account().password());
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void secretFile(String name, String content) throws Exception {
        Path file = Files.createFile(dataDir.resolve(name),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content + "\n");
    }
}
