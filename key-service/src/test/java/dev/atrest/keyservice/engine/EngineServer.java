package dev.atrest.keyservice.engine;

import dev.atrest.testsupport.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import dev.atrest.testsupport.Awaits;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A Debian {@code mariadbd} of the test's own: its data directory, temporary directory, socket, pid file and error
 * log under one directory, its own loopback port, and an options file written before every start, so a test can
 * change the key plugin's settings between restarts. CI's MariaDB on 3306 is never touched: everything here is
 * started with {@code --defaults-file}, which reads no other option file.
 */
final class EngineServer implements AutoCloseable {
    private static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");
    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(60);

    private final Path dir;
    private final int port;
    private final EngineOptions options;
    private Process process;

    private EngineServer(Path dir, EngineOptions options) {
        this.dir = dir;
        this.port = LoopbackPorts.free();
        this.options = options;
    }

    /**
     * A new, initialised data directory under {@code dir} (emptied first); not started. The system tables are
     * written unencrypted by the bootstrap (no key plugin is loaded then); the first start with encryption on
     * encrypts them in the background ({@link #awaitAllEncrypted}).
     */
    static EngineServer create(Path dir, EngineOptions options) {
        EngineServer server = new EngineServer(dir.toAbsolutePath(), options);
        server.install();
        return server;
    }

    private void install() {
        if (!Files.isExecutable(MARIADBD)) {
            throw new IllegalStateException(MARIADBD + " not found: the engine tests need Debian's mariadb-server"
                    + " (and mariadb-plugin-hashicorp-key-management), which .ci/run installs");
        }
        try {
            Files.createDirectories(dir);
            MarkerScan.deleteTree(dir);
            Files.createDirectories(dataDir());
            Files.createDirectories(tmpDir());
            // We run as root, and mariadbd refuses root without --user=root. Running as root rather than chowning
            // the tree to mysql: the checkout's parent directories need not be traversable by mysql, and the test
            // must read every file raw afterwards.
            run(List.of("mariadb-install-db", "--no-defaults", "--user=root", "--datadir=" + dataDir(),
                    "--auth-root-authentication-method=normal", "--skip-test-db", "--innodb-log-file-size=16M"),
                    dir.resolve("install.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the options file, starts mariadbd and waits until it answers SQL; fails with its error log's tail. */
    void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("mariadbd under " + dir + " is already running");
        }
        try {
            Files.writeString(optionsFile(), options.render(this));
            ProcessBuilder builder = new ProcessBuilder(MARIADBD.toString(), "--defaults-file=" + optionsFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()));
            builder.environment().remove("VAULT_TOKEN");
            builder.environment().putAll(options.environment());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + MARIADBD, e);
        }
        try {
            Awaitility.await("mariadbd under " + dir + " answers").atMost(START_LIMIT).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50)).pollInSameThread()
                    .failFast("mariadbd exited while starting", () -> !process.isAlive())
                    .until(this::answers);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            awaitExit(); // its last error log lines are written by then
            throw new EngineStartFailed("mariadbd did not start: " + e.getMessage() + "\n--- error log tail ---\n"
                    + errorLogTail(40));
        }
    }

    /** SIGTERM, mariadbd's clean shutdown (buffer pool flushed, log checkpointed), and waits for it. */
    void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        awaitExit();
    }

    /** SIGKILL: nothing flushed. */
    void killHard() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            awaitExit();
        }
    }

    boolean running() {
        return process != null && process.isAlive();
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("mariadbd under " + dir + " did not stop within " + STOP_LIMIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/?user=root&password=");
    }

    /** Runs each statement on one connection. */
    void execute(String... statements) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The rows of {@code query}, each column as a string. */
    List<List<String>> query(String query) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            return rows(rs);
        }
    }

    static List<List<String>> rows(ResultSet rs) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            List<String> row = new ArrayList<>(columns);
            for (int i = 1; i <= columns; i++) {
                row.add(rs.getString(i));
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * Waits until every InnoDB tablespace (the system tablespace, with its undo log, included; the temporary one,
     * which is encrypted page by page as it is written, excluded) is encrypted and no key rotation is under way.
     */
    void awaitAllEncrypted(Duration limit) {
        Awaits.until("every InnoDB tablespace encrypted", limit, () -> count(
                "SELECT COUNT(*) FROM information_schema.INNODB_SYS_TABLESPACES t"
                        + " LEFT JOIN information_schema.INNODB_TABLESPACES_ENCRYPTION e ON e.SPACE = t.SPACE"
                        + " WHERE t.NAME <> 'innodb_temporary'"
                        + " AND (e.SPACE IS NULL OR e.ENCRYPTION_SCHEME = 0 OR e.KEY_ROTATION_PAGE_NUMBER IS NOT NULL)")
                == 0);
    }

    /** The single number {@code query} answers. */
    long count(String query) throws SQLException {
        return Long.parseLong(query(query).get(0).get(0));
    }

    private boolean answers() {
        try (Connection c = connect()) {
            return c.isValid(2);
        } catch (SQLException notYet) {
            return false;
        }
    }

    String errorLog() {
        try {
            return Files.exists(errorLogFile()) ? Files.readString(errorLogFile(), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Marks the error log so {@link #errorLogSince} shows what one start wrote. */
    int errorLogLength() {
        return errorLog().length();
    }

    String errorLogSince(int mark) {
        String log = errorLog();
        return log.substring(Math.min(mark, log.length()));
    }

    String errorLogTail(int lines) {
        List<String> all = errorLog().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    Path dataDir() {
        return dir.resolve("data");
    }

    Path tmpDir() {
        return dir.resolve("tmp");
    }

    Path errorLogFile() {
        return dir.resolve("error.log");
    }

    EngineOptions options() {
        return options;
    }

    private Path optionsFile() {
        return dir.resolve("my.cnf");
    }

    private static void run(List<String> command, Path log) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " failed; see " + log + ":\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** mariadbd exited while starting or never answered; the message carries its error log's tail. */
    static final class EngineStartFailed extends RuntimeException {
        EngineStartFailed(String message) {
            super(message);
        }
    }
}
