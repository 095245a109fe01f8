package dev.atrest.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The packaged key service ({@code quarkus-run.jar}) as a child JVM on free gRPC and HTTP ports, its output in
 * one log file. What each suite adds (settings, database, tokens, how it knows the service is ready) stays with
 * the suite: key-service's support/ServiceProcess, terraform-bridge's acceptance/KeyServiceProcess.
 */
public final class ServiceJvm implements AutoCloseable {
    private final String name;
    private final Process process;
    private final int grpcPort;
    private final int vaultApiPort;
    private final Path log;

    private ServiceJvm(String name, Process process, int grpcPort, int vaultApiPort, Path log) {
        this.name = name;
        this.process = process;
        this.grpcPort = grpcPort;
        this.vaultApiPort = vaultApiPort;
        this.log = log;
    }

    /**
     * Starts {@code java <jvmOptions> -Dquarkus.grpc.server.port=… -Dquarkus.management.port=… -Datrest.vault-api.port=…
     * -jar runJar} and returns
     * at once; {@link #awaitReady} waits for it.
     *
     * @param env secrets the service reads from its environment rather than from a command line every local user
     *            can read
     */
    public static ServiceJvm start(String name, Path runJar, List<String> jvmOptions, Map<String, String> env,
            Path log) {
        int grpcPort = LoopbackPorts.free();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dquarkus.grpc.server.port=" + grpcPort);
        int httpPort = LoopbackPorts.free();
        // Metrics (the management interface) and the Vault API (when a test turns it on) on free ports of their own.
        command.add("-Dquarkus.management.port=" + LoopbackPorts.free());
        command.add("-Datrest.vault-api.port=" + httpPort);
        command.addAll(List.of("-jar", runJar.toAbsolutePath().toString()));
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            return new ServiceJvm(name, builder.start(), grpcPort, httpPort, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + runJar, e);
        }
    }

    /**
     * Waits until {@code ready} holds (an exception it throws counts as not yet), failing at once if the service
     * exits, and after {@code limit} otherwise; a service that never got ready is killed.
     */
    public void awaitReady(Duration limit, Callable<Boolean> ready) {
        try {
            Awaitility.await(name + " ready").atMost(limit).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .pollInSameThread().ignoreExceptions()
                    .failFast(name + " exited while starting; see " + log, () -> !process.isAlive())
                    .until(ready);
        } catch (ConditionTimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " was not ready within " + limit + "; see " + log, e);
        }
    }

    /** Something accepts connections on the gRPC port (the port opens before the service answers). */
    public boolean listening() {
        return LoopbackPorts.listening(grpcPort);
    }

    public int grpcPort() {
        return grpcPort;
    }

    /** The Vault API's port: it listens only when the service was started with atrest.vault-api.enabled=true. */
    public int vaultApiPort() {
        return vaultApiPort;
    }

    /** host:port of the gRPC server. */
    public String endpoint() {
        return "127.0.0.1:" + grpcPort;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL (what {@link Process#destroyForcibly()} sends on Linux): no shutdown hook, no transaction finishes. */
    public void killHard() {
        process.destroyForcibly();
        int exit = waitForExit(Duration.ofSeconds(60));
        if (exit != 128 + 9) {
            throw new IllegalStateException(name + " ended with " + exit + ", not by SIGKILL (137)");
        }
    }

    /** SIGTERM, a graceful stop; SIGKILL if it has not ended within {@code grace}. */
    public void stop(Duration grace) {
        if (process.isAlive()) {
            process.destroy();
            waitForExit(grace);
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(60));
    }

    private int waitForExit(Duration grace) {
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + name, e);
        }
    }
}
