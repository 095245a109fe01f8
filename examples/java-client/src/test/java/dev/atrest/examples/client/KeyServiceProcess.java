package dev.atrest.examples.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged key service (built earlier in the reactor) with authentication on, the LOCAL root key, a
 * fresh data directory under target/ (the embedded MariaDB wipes data directories under /tmp) and free ports.
 */
final class KeyServiceProcess implements AutoCloseable {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(240);

    private final Process process;
    private final Path dataDir;
    final int grpcPort;
    final Path log;

    private KeyServiceProcess(Process process, Path dataDir, int grpcPort, Path log) {
        this.process = process;
        this.dataDir = dataDir;
        this.grpcPort = grpcPort;
        this.log = log;
    }

    static KeyServiceProcess start(Path runJar, Path workDir) throws IOException, InterruptedException {
        Path dataDir = Files.createDirectories(workDir.resolve("ks"));
        Path log = workDir.resolve("key-service.log");
        int grpcPort = freePort();
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Datrest.local-root.enabled=true",
                "-Datrest.data-dir=" + dataDir,
                "-Dquarkus.grpc.server.port=" + grpcPort,
                "-Dquarkus.management.port=" + freePort(),
                "-jar", runJar.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        KeyServiceProcess service = new KeyServiceProcess(process, dataDir, grpcPort, log);
        service.awaitListening();
        return service;
    }

    String address() {
        return "127.0.0.1:" + grpcPort;
    }

    /** The ADMIN token the service wrote at its first start. */
    String bootstrapAdminToken() throws IOException {
        return Files.readString(dataDir.resolve("bootstrap-admin-token")).trim();
    }

    private void awaitListening() throws InterruptedException {
        Instant deadline = Instant.now().plus(STARTUP_LIMIT);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            // The bootstrap token is written just after the port opens.
            if (listening() && Files.isRegularFile(dataDir.resolve("bootstrap-admin-token"))) {
                return;
            }
            Thread.sleep(250);
        }
        boolean exited = !process.isAlive();
        close();
        throw new IllegalStateException((exited ? "key service exited during start-up" : "key service not listening after "
                + STARTUP_LIMIT) + "; see " + log);
    }

    private boolean listening() {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", grpcPort), 500);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
