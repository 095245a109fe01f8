package dev.atrest.terraform.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.terraform.plugin.HandshakeConfig;
import dev.atrest.terraform.plugin.PluginClient;
import dev.atrest.terraform.plugin.SelfSignedCertificate;
import dev.atrest.terraform.protocol.goplugin.GRPCControllerGrpc;
import dev.atrest.terraform.protocol.goplugin.GrpcController;
import dev.atrest.terraform.protocol.tfplugin6.ProviderGrpc;
import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6;
import io.grpc.ManagedChannel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider file the package phase builds (the JVM build: launcher stub + shaded jar), run as Terraform runs it
 * but from a copy outside the build tree, with the repository hidden from the process (a private mount namespace lays an
 * empty tmpfs over it): the copy must need nothing the build left behind. Failsafe, after the package phase.
 */
class ProviderFileIT {

    static final Path REPO = Path.of(System.getProperty("atrest.repo.root", "..")).toAbsolutePath().normalize();
    /** What the mirror and the release zip carry (the JVM build unless a profile built a native executable). */
    static final Path PROVIDER = REPO.resolve(
            "terraform-bridge/target/terraform-mirror/registry.terraform.io/atrest/atrest/0.1.0/linux_amd64/terraform-provider-atrest_v0.1.0");
    /** The JVM build: launcher stub + shaded jar. */
    static final Path JVM_FILE = REPO.resolve("terraform-bridge/target/provider/terraform-provider-atrest_v0.1.0");

    @TempDir
    Path temp;

    @Test
    void providerFile_copiedAndBuildTreeHidden_handshakesAndServesWithOnlyTheHandshakeOnStdout() throws Exception {
        Path copy = copyProvider(PROVIDER, temp.resolve("elsewhere"));
        Path cache = temp.resolve("cache");

        for (int start = 0; start < 2; start++) { // the first start of a JVM build also fills its cache
            PluginRun run = PluginRun.start(copy, cache, temp);
            assertThat(run.schemaResourceTypes()).contains("atrest_project_encryption", "atrest_cluster_encryption");
            run.shutdownAndAssertCleanExit();
        }
    }

    @Test
    void jvmFile_firstStart_recordsOneArchiveThatTheNextStartAccepts() throws Exception {
        Path copy = copyProvider(JVM_FILE, temp.resolve("elsewhere"));
        Path cache = temp.resolve("cache");

        PluginRun.start(copy, cache, temp).shutdownAndAssertCleanExit();
        assertThat(cdsArchives(cache)).as("archive recorded on first use").hasSize(1);

        PluginRun second = PluginRun.start(copy, cache, temp);
        second.shutdownAndAssertCleanExit();
        assertThat(second.stderr()).as("the JVM accepted the cached archive").doesNotContain("[cds]", "shared archive");
        assertThat(cdsArchives(cache)).hasSize(1);
    }

    @Test
    void jvmFile_twoFirstStartsAtOnce_bothHandshakeAndLeaveOneArchive() throws Exception {
        Path copy = copyProvider(JVM_FILE, temp.resolve("elsewhere"));
        Path cache = temp.resolve("cache");

        List<PluginRun> launched = List.of(PluginRun.launch(copy, cache, temp), PluginRun.launch(copy, cache, temp));
        for (PluginRun run : launched) {
            run.handshake().shutdownAndAssertCleanExit();
        }

        assertThat(cdsArchives(cache)).hasSize(1);
        try (Stream<Path> files = Files.walk(cache)) {
            assertThat(files.map(Path::toString)).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void jvmFile_cacheNotWritable_startsWithoutArchive() throws Exception {
        Path copy = copyProvider(JVM_FILE, temp.resolve("elsewhere"));
        Path notADirectory = Files.writeString(temp.resolve("cache"), "a file where the cache directory would be");

        PluginRun run = PluginRun.start(copy, notADirectory, temp);

        run.shutdownAndAssertCleanExit();
    }

    @Test
    void jvmFile_cacheWritableByOthers_neitherRecordsNorUsesAnArchive() throws Exception {
        Path copy = copyProvider(JVM_FILE, temp.resolve("elsewhere"));
        Path cache = temp.resolve("cache");
        Path shared = Files.createDirectories(cache.resolve("atrest/provider-cds"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        PluginRun run = PluginRun.start(copy, cache, temp);
        run.shutdownAndAssertCleanExit();

        assertThat(cdsArchives(cache)).as("an archive in a directory others can write could be theirs").isEmpty();
    }

    @Test
    void jvmFile_readAsZip_holdsProviderAndMergedGrpcServices() throws Exception {
        try (ZipFile jar = new ZipFile(JVM_FILE.toFile())) {
            assertThat(jar.getEntry("dev/atrest/terraform/Main.class")).isNotNull();
            assertThat(jar.getEntry("com/google/protobuf/Message.class")).isNotNull();
            assertThat(new String(jar.getInputStream(jar.getEntry("META-INF/services/io.grpc.LoadBalancerProvider"))
                    .readAllBytes(), StandardCharsets.UTF_8))
                    .as("providers of grpc-core, grpc-util and grpc-services, merged")
                    .contains("PickFirstLoadBalancerProvider", "OutlierDetectionLoadBalancerProvider",
                            "HealthCheckingRoundRobinLoadBalancerProvider");
            assertThat(jar.stream().map(entry -> entry.getName()))
                    .noneMatch(name -> name.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)"));
        }
    }

    @Test
    void jvmFile_launcherStub_namesNoBuildPath() throws Exception {
        byte[] bytes = Files.readAllBytes(JVM_FILE);
        String stub = new String(bytes, 0, Math.min(bytes.length, 8192), StandardCharsets.ISO_8859_1);
        stub = stub.substring(0, stub.indexOf("PK\u0003\u0004"));

        assertThat(stub).startsWith("#!/bin/sh\n").doesNotContain(REPO.toString(), "@BUILD_ID@", "target/");
    }

    /** {@code provider} copied alone into {@code directory}, as TF_PLUGIN_CACHE_DIR or a user would copy it. */
    static Path copyProvider(Path provider, Path directory) throws Exception {
        Path copy = Files.createDirectories(directory).resolve(PROVIDER.getFileName());
        Files.copy(provider, copy);
        return copy;
    }

    private static List<Path> cdsArchives(Path cache) throws Exception {
        try (Stream<Path> files = Files.walk(cache)) {
            return files.filter(file -> file.toString().endsWith(".jsa")).toList();
        }
    }

    /** One start of the provider, driven as Terraform drives it over plugin mTLS; stderr goes to a file. */
    private record PluginRun(Process process, Path stderrLog, BufferedReader stdout, ManagedChannel channel) {

        static PluginRun start(Path provider, Path cache, Path home) throws Exception {
            return launch(provider, cache, home).handshake();
        }

        /**
         * Starts {@code provider} with the repository hidden: a private mount namespace (as an unprivileged
         * user too, through a user namespace) with an empty tmpfs over the repository root.
         */
        static PluginRun launch(Path provider, Path cache, Path home) throws Exception {
            ProcessBuilder builder = new ProcessBuilder("unshare", "--mount", "--map-root-user", "sh", "-c",
                    "mount -t tmpfs hidden \"$0\" && exec \"$@\"", REPO.toString(), provider.toString())
                    .directory(home.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("PLUGIN_") || name.startsWith("TF_"));
            builder.environment().put(HandshakeConfig.MAGIC_COOKIE_KEY, HandshakeConfig.MAGIC_COOKIE_VALUE);
            builder.environment().put("PLUGIN_PROTOCOL_VERSIONS", "6");
            builder.environment().put("PLUGIN_CLIENT_CERT", PluginClient.pem(TERRAFORM_SIDE.certificate()));
            builder.environment().put("HOME", home.toString());
            builder.environment().put("XDG_CACHE_HOME", cache.toString());
            Path stderrLog = Files.createTempFile(home, "stderr", ".log");
            Process process = builder.redirectError(stderrLog.toFile()).start();
            return new PluginRun(process, stderrLog,
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), null);
        }

        PluginRun handshake() throws Exception {
            String line = stdout.readLine();
            assertThat(line).as("handshake line; stderr:%n%s", stderr())
                    .matches("1\\|6\\|tcp\\|127\\.0\\.0\\.1:\\d+\\|grpc\\|[A-Za-z0-9+/]+");
            return new PluginRun(process, stderrLog, stdout, PluginClient.connect(line, TERRAFORM_SIDE));
        }

        List<String> schemaResourceTypes() {
            return List.copyOf(ProviderGrpc.newBlockingStub(channel)
                    .getProviderSchema(Tfplugin6.GetProviderSchema.Request.getDefaultInstance())
                    .getResourceSchemasMap().keySet());
        }

        void shutdownAndAssertCleanExit() throws Exception {
            GRPCControllerGrpc.newBlockingStub(channel).shutdown(GrpcController.Empty.getDefaultInstance());
            channel.shutdownNow();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("exited after Shutdown").isTrue();
            assertThat(process.exitValue()).as("exit code; stderr:%n%s", stderr()).isZero();
            assertThat(stdout.readLine()).as("nothing on stdout after the handshake line").isNull();
        }

        String stderr() throws Exception {
            return Files.readString(stderrLog);
        }
    }

    private static final SelfSignedCertificate TERRAFORM_SIDE = SelfSignedCertificate.generate();
}
