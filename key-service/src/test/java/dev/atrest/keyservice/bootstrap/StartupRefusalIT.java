package dev.atrest.keyservice.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.ItDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The packaged service (quarkus-run.jar) started with each configuration it must refuse, on a real
 * database, while a client tries to connect to its gRPC and HTTP ports from the first millisecond: no
 * connection ever succeeds, the process exits non-zero, and stderr holds one line naming the setting.
 * A sound configuration, polled the same way, is connected to (the poller can see a listening port).
 */
class StartupRefusalIT {
    private static final Path JAR = Path.of(System.getProperty("atrest.service.jar", "target/quarkus-app/quarkus-run.jar"));
    private static final Path LOGS = Path.of("target", "it-logs");
    /** The shared database's: the sound start writes its token row and audit records there. */
    private static final String SEAL_KEY = ItDatabase.sharedSealKey();
    private static final Duration EXIT_TIMEOUT = Duration.ofMinutes(3);

    @Test
    void developmentModeOffLoopback_refusedBeforeListening() throws Exception {
        assertRefusedBeforeListening("dev-mode", Map.of("atrest.auth.development-mode", "true",
                "quarkus.grpc.server.host", "0.0.0.0"), SEAL_KEY, "atrest.auth.development-mode");
    }

    @Test
    void externalDatabaseWithoutSealKey_refusedBeforeListening() throws Exception {
        assertRefusedBeforeListening("no-seal-key", Map.of(), null, "ATREST_SEAL_KEY");
    }

    @Test
    void malformedSealKey_refusedBeforeListening() throws Exception {
        assertRefusedBeforeListening("bad-seal-key", Map.of(), "c2hvcnQ=", "atrest.seal.key");
    }

    @Test
    void tlsCertificateNotPem_refusedBeforeListening() throws Exception {
        Path garbage = Files.writeString(Files.createDirectories(LOGS).resolve("not-a-certificate.pem"), "garbage\n");
        assertRefusedBeforeListening("bad-tls", Map.of("atrest.tls.certificate-file", garbage.toAbsolutePath().toString(),
                "atrest.tls.key-file", garbage.toAbsolutePath().toString()), SEAL_KEY, "atrest.tls.certificate-file");
    }

    @Test
    void badSettingValue_refusedBeforeListening() throws Exception {
        assertRefusedBeforeListening("bad-value", Map.of("atrest.auth.token-cache-ttl", "banana"), SEAL_KEY,
                "atrest.auth.token-cache-ttl");
        assertRefusedBeforeListening("bad-range", Map.of("atrest.refusals.burst", "0"), SEAL_KEY, "atrest.refusals.burst");
    }

    @Test
    void unreadableSealKeyFile_refusedBeforeListening() throws Exception {
        assertRefusedBeforeListening("no-key-file", Map.of("atrest.seal.key-file",
                Path.of("target", "it-logs", "no-such-seal.key").toAbsolutePath().toString()), null, "atrest.seal.key-file");
    }

    @Test
    void portNotANumber_refusedBeforeListening() throws Exception {
        assertRefusedBeforeListening("bad-port", Map.of("quarkus.management.port", "eighty"), SEAL_KEY, "quarkus.management.port");
    }

    @Test
    void dataDirectoryOthersMayWrite_refusedBeforeTheDatabaseStarts() throws Exception {
        Path open = Files.createDirectories(Path.of("target", "it-data", "startup-open-data-dir")).toAbsolutePath();
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        // An empty URL is no URL: the embedded database, whose data directory this is.
        assertRefusedBeforeListening("open-data-dir", Map.of("quarkus.datasource.jdbc.url", "",
                "atrest.data-dir", open.toString()), null, "atrest.data-dir");
        assertThat(open.resolve("mariadb")).as("no database was made there").doesNotExist();
    }

    @Test
    void grpcPortInUse_refusedWithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Started started = start("port-taken", Map.of("quarkus.grpc.server.port", String.valueOf(taken.getLocalPort())),
                    SEAL_KEY);
            started.stopPolling(); // the port is someone else's: its connections say nothing here
            boolean exited = started.process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                started.process.destroyForcibly();
            }
            assertThat(exited).as("exits by itself").isTrue();
            assertThat(started.process.exitValue()).isNotZero();
            assertOneLineNaming(started, "port-taken", "quarkus.grpc.server.port");
            assertThat(Files.readAllLines(started.stderr)).singleElement().asString().contains("in use");
        }
    }

    @Test
    void soundConfiguration_thePollerConnects() throws Exception {
        Started started = start("sound", Map.of(), SEAL_KEY);
        try {
            long deadline = System.nanoTime() + EXIT_TIMEOUT.toNanos();
            while (started.grpcConnects.get() == 0 && started.process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(started.grpcConnects).as("the poller saw the sound service's gRPC port; see " + started.stdout)
                    .hasPositiveValue();
            assertThat(Files.readString(started.stdout) + Files.readString(started.stderr))
                    .as("a sound start logs nothing below INFO and no stack trace").doesNotContain(" DEBUG ")
                    .doesNotContain("\tat ");
        } finally {
            started.process.destroy();
            started.process.waitFor(60, TimeUnit.SECONDS);
            started.stopPolling();
        }
    }

    private static void assertRefusedBeforeListening(String name, Map<String, String> settings, String sealKey,
                                                     String setting) throws Exception {
        Started started = start(name, settings, sealKey);
        boolean exited = started.process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        started.stopPolling();
        if (!exited) {
            started.process.destroyForcibly();
        }
        System.out.printf("%s: exit %s after %d connection attempts%n", name,
                exited ? started.process.exitValue() : "none", started.attempts.get());
        assertThat(exited).as(name + " exits by itself").isTrue();
        assertThat(started.process.exitValue()).as(name + " exit status").isNotZero();
        assertThat(started.attempts.get()).as("the poller was polling").isPositive();
        assertThat(started.grpcConnects).as(name + ": connections to the gRPC port").hasValue(0);
        assertThat(started.httpConnects).as(name + ": connections to the HTTP port").hasValue(0);
        assertOneLineNaming(started, name, setting);
    }

    /** stderr is one line, "atrest: refusing to start: …" naming the setting; no stack frame, no DEBUG line anywhere. */
    private static void assertOneLineNaming(Started started, String name, String setting) throws IOException {
        List<String> stderr = Files.readAllLines(started.stderr).stream().filter(line -> !line.isBlank()).toList();
        System.out.printf("%s: %s%n", name, stderr);
        assertThat(stderr).as(name + ": stderr is one line naming the setting").singleElement().asString()
                .startsWith("atrest: refusing to start: ").contains(setting)
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(Files.readString(started.stdout)).as(name + ": stdout").doesNotContain(" DEBUG ").doesNotContain("\tat ");
    }

    private static Started start(String name, Map<String, String> settings, String sealKey) throws IOException {
        ItDatabase db = ItDatabase.shared();
        Path dataDir = Files.createDirectories(Path.of("target", "it-data", "startup-" + name)).toAbsolutePath();
        int grpcPort = freePort();
        int httpPort = freePort();
        Map<String, String> all = new HashMap<>(Map.of(
                "quarkus.datasource.jdbc.url", db.jdbcUrl(),
                "quarkus.datasource.username", db.user(),
                "atrest.local-root.enabled", "true",
                "atrest.data-dir", dataDir.toString(),
                "atrest.auth.bootstrap-token-file", Api.ADMIN_TOKEN_FILE.toAbsolutePath().toString(),
                "quarkus.grpc.server.port", String.valueOf(grpcPort),
                "quarkus.management.port", String.valueOf(httpPort)));
        all.putAll(settings);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        all.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        Files.createDirectories(LOGS);
        Path stdout = LOGS.resolve("startup-" + name + ".out");
        Path stderr = LOGS.resolve("startup-" + name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().put("QUARKUS_DATASOURCE_PASSWORD", db.password());
        if (sealKey != null) {
            builder.environment().put("ATREST_SEAL_KEY", sealKey);
        }
        Started started = new Started(grpcPort, httpPort, stdout, stderr);
        started.startPolling();
        started.process = builder.start();
        return started;
    }

    /** A child service and a thread connecting to its ports every millisecond, from before it is started. */
    private static final class Started {
        final int grpcPort;
        final int httpPort;
        final Path stdout;
        final Path stderr;
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger grpcConnects = new AtomicInteger();
        final AtomicInteger httpConnects = new AtomicInteger();
        volatile boolean polling = true;
        volatile Process process;
        Thread poller;

        Started(int grpcPort, int httpPort, Path stdout, Path stderr) {
            this.grpcPort = grpcPort;
            this.httpPort = httpPort;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        void startPolling() {
            poller = new Thread(() -> {
                while (polling) {
                    attempts.incrementAndGet();
                    if (connects(grpcPort)) {
                        grpcConnects.incrementAndGet();
                    }
                    if (connects(httpPort)) {
                        httpConnects.incrementAndGet();
                    }
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "port-poller");
            poller.start();
        }

        void stopPolling() throws InterruptedException {
            polling = false;
            poller.join(5_000);
        }

        private static boolean connects(int port) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
                return true;
            } catch (IOException refused) {
                return false;
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
