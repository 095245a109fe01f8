package dev.atrest.keyservice.support;

import dev.atrest.testsupport.ServiceJvm;
import dev.atrest.v1.ClusterEncryptionServiceGrpc;
import dev.atrest.v1.ProjectEncryptionServiceGrpc;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
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
    private ServiceJvm jvm;
    private ManagedChannel channel;
    private Client admin;
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
                // The tests kill replicas: a dead one's job locks are taken over after this (30s by default).
                "atrest.jobs.lease-duration", "3s",
                // Replicas adopt the suite's admin token as their bootstrap token: the first one to start creates it.
                "atrest.auth.bootstrap-token-file", Api.ADMIN_TOKEN_FILE.toAbsolutePath().toString()));
        // Secrets go in the environment, not on a command line every user can read.
        this.env = Map.of("QUARKUS_DATASOURCE_PASSWORD", db.password(), "ATREST_SEAL_KEY", sealKey);
    }

    /** One more setting (a system property of the child JVM) for the next start, e.g. atrest.aws.endpoint-override. */
    public ServiceProcess with(String key, String value) {
        settings.put(key, value);
        return this;
    }

    /** Starts the service and waits until its gRPC health check says SERVING. */
    public ServiceProcess start() {
        return start(() -> { });
    }

    /**
     * As {@link #start()}, and runs {@code atFirstServing} the moment the health check first says SERVING, before
     * anything else is asked of the service (it must not throw: record what it finds).
     */
    public ServiceProcess start(Runnable atFirstServing) {
        if (jvm != null && jvm.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        List<String> options = new ArrayList<>(List.of("-Xmx512m", "-XX:+UseSerialGC",
                // C1 only: starts in a fraction of the CPU time, which the many restarts of the fault tests need.
                "-XX:TieredStopAtLevel=1"));
        settings.forEach((key, value) -> options.add("-D" + key + "=" + value));
        jvm = ServiceJvm.start(name, JAR, options, env, LOGS.resolve(name + "-" + (++starts) + ".log"));
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", jvm.grpcPort()).usePlaintext().build();
        admin = new Client(channel, new BearerToken(Api.ADMIN_TOKEN));
        jvm.awaitReady(START_TIMEOUT, () -> {
            if (health() != ServingStatus.SERVING) {
                return false;
            }
            atFirstServing.run();
            return true;
        });
        return this;
    }

    /** The Vault API's base URL (it answers when started {@code with("atrest.vault-api.enabled", "true")}). */
    public String vaultApiUrl() {
        return "http://127.0.0.1:" + jvm.vaultApiPort();
    }

    /** SIGKILL: no shutdown hook, no transaction gets to finish. */
    public void killHard() {
        jvm.killHard();
        channel.shutdownNow();
    }

    /** SIGTERM: a graceful stop. */
    public void stop() {
        if (jvm != null) {
            jvm.stop(Duration.ofSeconds(60));
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

    /** Stubs of every service as the suite's admin token (the data plane needs a KEY_CONSUMER: {@link #as}). */
    public Client admin() {
        return admin;
    }

    /** Stubs sending {@code secret} as their bearer token, e.g. a KEY_CONSUMER token the admin created. */
    public Client as(String secret) {
        return new Client(channel, new BearerToken(secret));
    }

    /** What the gRPC health check says now. */
    public ServingStatus health() {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    }

    /** The current run's log, for failure messages. */
    public Path log() {
        return jvm.log();
    }

    @Override
    public void close() {
        stop();
    }
}
