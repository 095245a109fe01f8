package dev.atrest.terraform.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.terraform.protocol.goplugin.GRPCControllerGrpc;
import dev.atrest.terraform.protocol.goplugin.GrpcController;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real entry point in its own JVM: what reaches stdout, the exit codes. */
class PluginMainProcessTest {

    @Test
    void main_withoutMagicCookie_exitsNonZeroWithMessageAndSilentStdout() throws Exception {
        Process plugin = start(Map.of());

        assertThat(plugin.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(plugin.exitValue()).isEqualTo(1);
        assertThat(new String(plugin.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
        assertThat(new String(plugin.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("not meant to be run directly");
    }

    @Test
    void main_launchedLikeTerraform_printsOneLineAndExitsZeroOnShutdown() throws Exception {
        Process plugin = start(Map.of(HandshakeConfig.MAGIC_COOKIE_KEY, HandshakeConfig.MAGIC_COOKIE_VALUE,
                "PLUGIN_PROTOCOL_VERSIONS", "6", "TF_LOG", "DEBUG"));
        BufferedReader stdout = new BufferedReader(new InputStreamReader(plugin.getInputStream(), StandardCharsets.UTF_8));
        String line = stdout.readLine();
        ManagedChannel channel = PluginClient.connect(line, null);

        GRPCControllerGrpc.newBlockingStub(channel).shutdown(GrpcController.Empty.getDefaultInstance());
        channel.shutdownNow();

        assertThat(line).matches("1\\|6\\|tcp\\|127\\.0\\.0\\.1:\\d+\\|grpc\\|");
        assertThat(plugin.waitFor(10, TimeUnit.SECONDS)).as("exited after Shutdown").isTrue();
        assertThat(plugin.exitValue()).isZero();
        assertThat(stdout.readLine()).as("nothing after the handshake line").isNull();
        assertThat(new String(plugin.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).contains("[DEBUG]");
    }

    @Test
    void main_withAutoMtlsAndTraceLogging_servesMtlsAndParsesNoCertificateButTheConnections(@TempDir Path dir)
            throws Exception {
        SelfSignedCertificate terraformSide = SelfSignedCertificate.generate();
        // Trace output goes to a file: a pipe nobody reads while the test waits would fill and block the plugin.
        Path stderr = dir.resolve("stderr.txt");
        Process plugin = start(stderr, Map.of(HandshakeConfig.MAGIC_COOKIE_KEY, HandshakeConfig.MAGIC_COOKIE_VALUE,
                "PLUGIN_PROTOCOL_VERSIONS", "5,6", "TF_LOG", "TRACE",
                "PLUGIN_CLIENT_CERT", PluginClient.pem(terraformSide.certificate())));
        BufferedReader stdout = new BufferedReader(new InputStreamReader(plugin.getInputStream(), StandardCharsets.UTF_8));
        String line = stdout.readLine();
        ManagedChannel channel = PluginClient.connect(line, terraformSide);

        HealthCheckResponse health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService("plugin").build());
        GRPCControllerGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .shutdown(GrpcController.Empty.getDefaultInstance());
        channel.shutdownNow();

        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        assertThat(plugin.waitFor(10, TimeUnit.SECONDS)).as("exited after Shutdown").isTrue();
        assertThat(plugin.exitValue()).isZero();
        // The JDK logs every certificate it parses; before StartupProperties, the whole default trust store
        // (80-150 certificates) was parsed at each start. Only ours and Terraform's (CN=localhost both, each
        // parsed once or twice) belong to this connection.
        List<String> parsed = Files.readAllLines(stderr, StandardCharsets.UTF_8).stream()
                .filter(logged -> logged.contains("X509Certificate:")).toList();
        assertThat(parsed).isNotEmpty().allMatch(logged -> logged.contains("Subject:CN=localhost"));
    }

    private static Process start(Map<String, String> environment) throws Exception {
        return builder(environment).start();
    }

    private static Process start(Path stderr, Map<String, String> environment) throws Exception {
        return builder(environment).redirectError(stderr.toFile()).start();
    }

    private static ProcessBuilder builder(Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.atrest.terraform.Main");
        builder.environment().keySet().removeIf(name -> name.startsWith("PLUGIN_") || name.startsWith("TF_"));
        builder.environment().putAll(environment);
        return builder;
    }
}
