package dev.atrest.terraform;

import com.google.protobuf.ByteString;
import dev.atrest.terraform.plugin.HandshakeConfig;
import dev.atrest.terraform.plugin.PluginClient;
import dev.atrest.terraform.plugin.PluginProcess;
import dev.atrest.terraform.plugin.PluginServer;
import dev.atrest.terraform.plugin.SelfSignedCertificate;
import dev.atrest.terraform.plugin.StartupProperties;
import dev.atrest.terraform.protocol.goplugin.GRPCControllerGrpc;
import dev.atrest.terraform.protocol.goplugin.GrpcController;
import dev.atrest.terraform.protocol.tfplugin6.ProviderGrpc;
import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6;
import dev.atrest.terraform.provider.ProviderService;
import dev.atrest.terraform.resources.AtrestCatalog;
import dev.atrest.terraform.wire.DynamicValueCodec;
import dev.atrest.terraform.wire.Unknown;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Run by the launcher under {@code -XX:ArchiveClassesAtExit} on the first start of a copy, to fill its per-user
 * class-data-sharing cache: goes through what Terraform does at the start of every command (mTLS handshake,
 * health check, schema, validation, shutdown) so the archive holds every class that path loads. Not for users.
 */
public final class StartupTraining {

    private StartupTraining() {
    }

    public static void main(String[] args) throws Exception {
        StartupProperties.apply(); // as Main does, so the archive holds the classes of the real path
        SelfSignedCertificate terraformSide = SelfSignedCertificate.generate();
        Map<String, String> environment = new HashMap<>(Map.of(
                HandshakeConfig.MAGIC_COOKIE_KEY, HandshakeConfig.MAGIC_COOKIE_VALUE,
                "PLUGIN_PROTOCOL_VERSIONS", "5,6",
                "PLUGIN_CLIENT_CERT", PluginClient.pem(terraformSide.certificate())));
        ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        PluginServer server = PluginProcess.serve(environment, new PrintStream(handshake, true),
                java.util.List.of(new ProviderService(environment, AtrestCatalog.create())));
        ManagedChannel channel = PluginClient.connect(handshake.toString(), terraformSide);
        HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder().setService("plugin").build());
        ProviderGrpc.ProviderBlockingStub provider = ProviderGrpc.newBlockingStub(channel);
        provider.getProviderSchema(Tfplugin6.GetProviderSchema.Request.getDefaultInstance());
        Map<String, Object> config = new HashMap<>();
        config.put("project_id", "training");
        config.put("aws_kms_config", null);
        config.put("local_key_config", Map.of("enabled", true, "key_id", Unknown.VALUE));
        provider.validateResourceConfig(Tfplugin6.ValidateResourceConfig.Request.newBuilder()
                .setTypeName("atrest_project_encryption")
                .setConfig(Tfplugin6.DynamicValue.newBuilder().setMsgpack(ByteString.copyFrom(DynamicValueCodec.encode(
                        config, AtrestCatalog.create().resource("atrest_project_encryption").schema().impliedType()))))
                .build());
        GRPCControllerGrpc.newBlockingStub(channel).shutdown(GrpcController.Empty.getDefaultInstance());
        server.awaitTermination();
        channel.shutdownNow();
        System.exit(0);
    }
}
