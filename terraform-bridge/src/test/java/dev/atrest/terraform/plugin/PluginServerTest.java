package dev.atrest.terraform.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.terraform.protocol.goplugin.GRPCControllerGrpc;
import dev.atrest.terraform.protocol.goplugin.GrpcController;
import dev.atrest.terraform.protocol.tfplugin6.ProviderGrpc;
import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6;
import dev.atrest.terraform.provider.ProviderService;
import dev.atrest.terraform.resources.AtrestCatalog;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The plugin as Terraform sees it, in process: mTLS with AutoMTLS certificates, health, schema, shutdown. */
class PluginServerTest {

    private final SelfSignedCertificate terraform = SelfSignedCertificate.generate();
    private PluginServer server;
    private ManagedChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void serve_withClientCertificate_acceptsThatCertificateOverTls() throws Exception {
        String line = serve(environment(true));
        channel = PluginClient.connect(line, terraform);

        HealthCheckResponse health = HealthGrpc.newBlockingStub(channel)
                .check(HealthCheckRequest.newBuilder().setService("plugin").build());
        Tfplugin6.GetProviderSchema.Response schema = ProviderGrpc.newBlockingStub(channel)
                .getProviderSchema(Tfplugin6.GetProviderSchema.Request.getDefaultInstance());

        assertThat(line).matches("1\\|6\\|tcp\\|127\\.0\\.0\\.1:\\d+\\|grpc\\|[A-Za-z0-9+/]+");
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        assertThat(schema.getResourceSchemasMap()).containsKeys("atrest_project_encryption", "atrest_cluster_encryption");
        assertThat(schema.getDataSourceSchemasMap()).containsKey("atrest_cluster_keys");
    }

    @Test
    void serve_clientPresentsAnotherCertificate_refusesTheConnection() throws Exception {
        String line = serve(environment(true));
        channel = PluginClient.connect(line, SelfSignedCertificate.generate());

        assertThatThrownBy(() -> HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService("plugin").build()))
                .isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void serve_withoutClientCertificate_servesPlaintextWithEmptyCertField() throws Exception {
        String line = serve(environment(false));
        channel = PluginClient.connect(line, null);

        assertThat(line).endsWith("|grpc|");
        assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder().setService("plugin")
                .build()).getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void shutdown_called_stopsTheServer() throws Exception {
        String line = serve(environment(false));
        channel = PluginClient.connect(line, null);

        GRPCControllerGrpc.newBlockingStub(channel).shutdown(GrpcController.Empty.getDefaultInstance());

        Thread waiter = new Thread(() -> {
            try {
                server.awaitTermination();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        waiter.join(5000);
        assertThat(waiter.isAlive()).as("server still running 5 s after Shutdown").isFalse();
    }

    @Test
    void serve_singlePortRange_listensOnThatPort() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Map<String, String> environment = environment(false);
        environment.put("PLUGIN_MIN_PORT", String.valueOf(port));
        environment.put("PLUGIN_MAX_PORT", String.valueOf(port));

        assertThat(serve(environment)).contains("127.0.0.1:" + port + "|");
    }

    private String serve(Map<String, String> environment) throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        server = PluginProcess.serve(environment, new PrintStream(stdout, true),
                List.of(new ProviderService(environment, AtrestCatalog.create())));
        String output = stdout.toString();
        assertThat(output.lines()).as("exactly one handshake line").hasSize(1);
        return output.trim();
    }

    private Map<String, String> environment(boolean tls) throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put(HandshakeConfig.MAGIC_COOKIE_KEY, HandshakeConfig.MAGIC_COOKIE_VALUE);
        environment.put("PLUGIN_PROTOCOL_VERSIONS", "5,6");
        if (tls) {
            environment.put("PLUGIN_CLIENT_CERT", PluginClient.pem(terraform.certificate()));
        }
        return environment;
    }
}
