package dev.atrest.examples.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.v1.AccessServiceGrpc;
import dev.atrest.v1.ClusterEncryptionServiceGrpc;
import dev.atrest.v1.CreateAccessTokenRequest;
import dev.atrest.v1.DatabaseKey;
import dev.atrest.v1.DatabaseKeyServiceGrpc;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.LocalKeyConfig;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.ProjectEncryptionServiceGrpc;
import dev.atrest.v1.Role;
import dev.atrest.v1.SetClusterEncryptionRequest;
import dev.atrest.v1.UpdateProjectEncryptionRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged client (java -jar) against the packaged key service with authentication on: what the README
 * shows, with a KEY_CONSUMER token made by the bootstrap ADMIN token.
 */
class FetchDatabaseKeyIT {

    private static final Path REPO = Path.of(System.getProperty("atrest.repo.root", "../..")).toAbsolutePath().normalize();
    private static final Path CLIENT_JAR = Path.of(System.getProperty("atrest.java-client.jar", "target/atrest-java-client.jar"));
    private static final Path KEY_SERVICE = REPO.resolve("key-service/target/quarkus-app/quarkus-run.jar");

    private static KeyServiceProcess keyService;
    private static ManagedChannel admin;
    private static String consumerToken;

    @BeforeAll
    static void startAndGrant() throws Exception {
        assertThat(KEY_SERVICE).as("the packaged key service (mvn package -pl key-service)").isRegularFile();
        assertThat(CLIENT_JAR).as("the packaged client (mvn package)").isRegularFile();
        keyService = KeyServiceProcess.start(KEY_SERVICE, Files.createTempDirectory(Path.of("target"), "java-client-it-"));
        admin = NettyChannelBuilder.forTarget(keyService.address()).usePlaintext().build();
        BearerToken adminToken = new BearerToken(keyService.bootstrapAdminToken());
        ProjectEncryptionServiceGrpc.newBlockingStub(admin).withCallCredentials(adminToken)
                .updateProjectEncryption(UpdateProjectEncryptionRequest.newBuilder().setProjectEncryption(
                        ProjectEncryption.newBuilder().setProjectId("acme")
                                .setLocalKey(LocalKeyConfig.newBuilder().setEnabled(true))).build());
        ClusterEncryptionServiceGrpc.newBlockingStub(admin).withCallCredentials(adminToken)
                .setClusterEncryption(SetClusterEncryptionRequest.newBuilder().setProjectId("acme")
                        .setClusterName("orders-db").setEncryptionAtRestProvider(EncryptionAtRestProvider.LOCAL).build());
        consumerToken = AccessServiceGrpc.newBlockingStub(admin).withCallCredentials(adminToken)
                .createAccessToken(CreateAccessTokenRequest.newBuilder().setName("orders-app")
                        .setRole(Role.KEY_CONSUMER).addProjectIds("acme").setTtlDays(1).build())
                .getSecret();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (admin != null) {
            admin.shutdownNow();
        }
        if (keyService != null) {
            keyService.close();
        }
    }

    @Test
    void jar_consumerToken_printsTheFingerprintOfTheServedKey() throws Exception {
        Run run = runClient(consumerToken, "acme", "orders-db", "customers");

        DatabaseKey served = DatabaseKeyServiceGrpc.newBlockingStub(admin)
                .withCallCredentials(new BearerToken(consumerToken))
                .getDatabaseKey(GetDatabaseKeyRequest.newBuilder().setProjectId("acme").setClusterName("orders-db")
                        .setDatabaseName("customers").build());
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("KEY_CONSUMER", "database key acme/orders-db/customers: version 1, "
                + "master-key version 1, 256 bits, sha256 " + KeyFingerprint.sha256(served.getKey().toByteArray()));
    }

    @Test
    void jar_otherProject_refusedWithPermissionDenied() throws Exception {
        Run run = runClient(consumerToken, "other-project", "orders-db", "customers");

        assertThat(run.exitCode()).as(run.output()).isOne();
        assertThat(run.output()).contains("failed: PERMISSION_DENIED").doesNotContain("sha256");
    }

    @Test
    void jar_wrongToken_refusedWithUnauthenticated() throws Exception {
        Run run = runClient("atrest_" + "x".repeat(43), "acme", "orders-db", "customers");

        assertThat(run.exitCode()).as(run.output()).isOne();
        assertThat(run.output()).contains("failed: UNAUTHENTICATED");
    }

    private static Run runClient(String token, String... args) throws IOException, InterruptedException {
        Path output = Files.createTempFile(Path.of("target"), "java-client-", ".out");
        ProcessBuilder builder = new ProcessBuilder(command(args)).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("ATREST_"));
        environment.put("ATREST_ADDR", keyService.address());
        environment.put("ATREST_TOKEN", token);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the client did not finish within 60 s");
        }
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private static List<String> command(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", CLIENT_JAR.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private record Run(int exitCode, String output) {}
}
