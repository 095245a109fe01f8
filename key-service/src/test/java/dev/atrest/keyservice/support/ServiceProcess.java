package dev.atrest.keyservice.support;

import dev.atrest.v1.ClusterEncryptionServiceGrpc;
import dev.atrest.v1.ProjectEncryptionServiceGrpc;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The packaged key service ({@code quarkus-run.jar}) as a child JVM on the integration-test database,
 * with LOCAL root keys under a data directory that survives its restarts. {@link #killHard()} is
 * SIGKILL: no shutdown hook, no transaction gets to finish.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final Path JAR = Path.of(System.getProperty("atrest.service.jar",
            "target/quarkus-app/quarkus-run.jar"));
    private static final Path LOGS = Path.of("target", "it-logs");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final String name;
    private final Map<String, String> settings;
    private final Map<String, String> env;
    private Process process;
    private ManagedChannel channel;
    private Client admin;
    private Path log;
    private int starts;

    /**
     * @param sealKey the seal key (base64); replicas of one deployment share it
     * @param checkInterval the periodic rotation and CMK-change check, e.g. "2s"
     */
    public ServiceProcess(String name, ItDatabase db, Path dataDir, String sealKey, String checkInterval) {
        this.name = name;
        this.settings = new TreeMap<>(Map.of(
                "quarkus.datasource.jdbc.url", db.jdbcUrl(),
                "quarkus.datasource.username", db.user(),
                "atrest.local-root.enabled", "true",
                "atrest.data-dir", dataDir.toAbsolutePath().toString(),
                "atrest.rotation.first-check-delay", "1s",
                "atrest.rotation.check-interval", checkInterval,
                "atrest.rotation.batch-size", "200",
                // Replicas adopt the suite's admin token as their bootstrap token: the first one to start creates it.
                "atrest.auth.bootstrap-token-file", Api.ADMIN_TOKEN_FILE.toAbsolutePath().toString()));
        // Secrets go in the environment, not on a command line every user can read.
        this.env = Map.of("QUARKUS_DATASOURCE_PASSWORD", db.password(), "ATREST_SEAL_KEY", sealKey);
    }

    /** Starts the service and waits until its gRPC health check says SERVING. */
    public ServiceProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        int grpcPort = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-XX:+UseSerialGC",
                // C1 only: starts in a fraction of the CPU time, which the many restarts of the fault tests need.
                "-XX:TieredStopAtLevel=1"));
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-Dquarkus.grpc.server.port=" + grpcPort);
        command.add("-Dquarkus.http.port=" + freePort());
        command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        try {
            Files.createDirectories(LOGS);
            log = LOGS.resolve(name + "-" + (++starts) + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + JAR, e);
        }
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        admin = new Client(channel, new BearerToken(Api.ADMIN_TOKEN));
        awaitServing();
        return this;
    }

    /** SIGKILL (what {@link Process#destroyForcibly()} sends on Linux), then waits until it is gone. */
    public void killHard() {
        process.destroyForcibly();
        int exit = waitForExit();
        if (exit != 128 + 9) {
            throw new IllegalStateException(name + " ended with " + exit + ", not by SIGKILL (137)");
        }
        channel.shutdownNow();
    }

    /** SIGTERM: a graceful stop. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitForExit();
        }
        if (channel != null) {
            channel.shutdownNow();
        }
    }

    /** Stubs calling as the suite's admin token. */
    public ProjectEncryptionServiceGrpc.ProjectEncryptionServiceBlockingStub projects() {
        return admin.ready(ProjectEncryptionServiceGrpc.newBlockingStub(channel)).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    public ClusterEncryptionServiceGrpc.ClusterEncryptionServiceBlockingStub clusters() {
        return admin.ready(ClusterEncryptionServiceGrpc.newBlockingStub(channel)).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    public ClusterEncryptionServiceGrpc.ClusterEncryptionServiceFutureStub clustersAsync() {
        return admin.ready(ClusterEncryptionServiceGrpc.newFutureStub(channel)).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    public ProjectEncryptionServiceGrpc.ProjectEncryptionServiceFutureStub projectsAsync() {
        return admin.ready(ProjectEncryptionServiceGrpc.newFutureStub(channel)).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    /** Every service's stubs as the suite's admin token (audit, access tokens, ...). */
    public Client admin() {
        return admin;
    }

    /** Stubs on this run of the service sending {@code secret} as their bearer token; a restart needs new ones. */
    public Client as(String secret) {
        return new Client(channel, new BearerToken(secret));
    }

    /** The current run's log, for failure messages. */
    public Path log() {
        return log;
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitServing() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " while starting; see " + log);
            }
            try {
                ServingStatus status = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance()).getStatus();
                if (status == ServingStatus.SERVING) {
                    return;
                }
            } catch (StatusRuntimeException notYet) {
                // still starting
            }
            sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException(name + " was not SERVING within " + START_TIMEOUT + "; see " + log);
    }

    private int waitForExit() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + name, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
