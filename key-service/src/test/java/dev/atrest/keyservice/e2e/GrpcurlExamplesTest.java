package dev.atrest.keyservice.e2e;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.keys;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.support.Api;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetDatabaseKeyRequest;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's grpcurl walk-through, run with the real grpcurl binary against the running service. */
@QuarkusTest
class GrpcurlExamplesTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Test
    void demoScript_againstRunningService_enablesRefusesAndCleansUp() throws Exception {
        String project = Api.uniqueId("demo");

        Result demo = run(Map.of(), script("demo.sh"), project);

        assertThat(demo.exitCode).as(demo.output).isZero();
        assertThat(demo.output)
                .contains("atrest.v1.ProjectEncryptionService", "atrest.v1.ClusterEncryptionService", "grpc.health.v1.Health")
                .contains("\"provider\": \"LOCAL\"")
                .contains("CLUSTER_ENCRYPTION_STATE_ENABLED")
                .contains("CANNOT_DISABLE_ENCRYPTION_AT_REST", "orders-db", "refused, as it should be")
                .contains("\"wrapping_key_id\": \"local:default\"")
                .contains("\"master_key_version\": 2", "\"state\": \"KEY_STATE_DESTROYED\"")
                .contains("\"role\": \"KEY_CONSUMER\"", "\"database\": \"" + project + "/orders-db/customers\"",
                        "\"key_sha256\"", "refused, as it should be: the token is not granted project " + project + "-other")
                .contains("\"database_name\": \"customers\"", "\"state\": \"KEY_STATE_ACTIVE\"")
                .contains("\"intact\": true")
                .contains("\"provider\": \"NONE\"")
                .doesNotContain("\"key\":", "\"secret\":");
    }

    @Test
    void dataPlaneScripts_consumerToken_fingerprintOfTheServedKeyAndRefusalElsewhere() throws Exception {
        String project = Api.uniqueId("dp");
        Api.projects().updateProjectEncryption(enableLocal(project));
        Api.clusters().setClusterEncryption(setCluster(project, "orders-db", EncryptionAtRestProvider.LOCAL));

        Result created = run(Map.of(), script("07-create-consumer-token.sh"), project);
        String consumer = created.stdout.strip();
        Result fetched = run(Map.of("ATREST_TOKEN", consumer), script("08-get-database-key.sh"), project, "orders-db", "customers");
        Result refused = run(Map.of("ATREST_TOKEN", consumer), script("09-try-other-project.sh"), project + "-other", "orders-db", "customers");

        assertThat(created.exitCode).as(created.output).isZero();
        assertThat(consumer).matches("atrest_[A-Za-z0-9_-]{43}");
        byte[] served = Api.as(consumer).databaseKeys().getDatabaseKey(GetDatabaseKeyRequest.newBuilder()
                .setProjectId(project).setClusterName("orders-db").setDatabaseName("customers").build()).getKey().toByteArray();
        assertThat(fetched.exitCode).as(fetched.output).isZero();
        assertThat(fetched.output).contains("\"version\": 1", "\"master_key_version\": 1",
                "\"key_sha256\": \"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(served)) + "\"");
        assertThat(refused.exitCode).as(refused.output).isZero();
        assertThat(refused.output).contains("\"code\": 7", "PERMISSION_DENIED").doesNotContain("key_sha256");
    }

    @Test
    void rotateDatabaseKeyScript_expectedVersion_rotatesOnceThenRefusesTheRetry() throws Exception {
        String project = Api.uniqueId("rdk");
        Api.projects().updateProjectEncryption(enableLocal(project));
        Api.clusters().setClusterEncryption(setCluster(project, "orders-db", EncryptionAtRestProvider.LOCAL));
        GetDatabaseKeyRequest current = GetDatabaseKeyRequest.newBuilder().setProjectId(project)
                .setClusterName("orders-db").setDatabaseName("customers").build();
        byte[] before = Api.databaseKeys().getDatabaseKey(current).getKey().toByteArray();

        Result rotated = run(Map.of(), script("12-rotate-database-key.sh"), project, "orders-db", "customers", "1");
        Result retried = run(Map.of(), script("12-rotate-database-key.sh"), project, "orders-db", "customers", "1");

        assertThat(rotated.exitCode).as(rotated.output).isZero();
        assertThat(rotated.stdout).contains("\"database_name\": \"customers\"", "\"version\": 2",
                "\"state\": \"KEY_STATE_ACTIVE\"").doesNotContain("\"key\":");
        assertThat(retried.exitCode).as(retried.output).isNotZero();
        assertThat(retried.output).contains("DATABASE_KEY_VERSION_CHANGED");
        var served = Api.databaseKeys().getDatabaseKey(current);
        assertThat(served.getVersion()).isEqualTo(2);
        assertThat(served.getKey().toByteArray()).isNotEqualTo(before);
        assertThat(Api.clusters().listClusterKeys(keys(project, "orders-db")).getDatabaseKeysCount()).isEqualTo(2);
    }

    @Test
    void listServices_plaintextReflection_needsNoProtoFiles() throws Exception {
        Result list = run(Map.of(), script("01-list-services.sh"));

        assertThat(list.exitCode).as(list.output).isZero();
        assertThat(list.output.lines()).contains("atrest.v1.ProjectEncryptionService", "atrest.v1.ClusterEncryptionService");
    }

    private static String script(String name) {
        return REPO.resolve("examples/grpcurl").resolve(name).toString();
    }

    /** Runs a script as the suite's admin unless {@code environment} says otherwise; stdout is also kept apart. */
    private static Result run(Map<String, String> environment, String... command) throws IOException, InterruptedException {
        Path grpcurl = REPO.resolve(".tools/bin/grpcurl");
        assertThat(grpcurl).as("grpcurl is installed by scripts/test-peers/install.sh").isExecutable();
        Path stdout = Files.createTempFile(Path.of("target"), "grpcurl-", ".out");
        Path stderr = Files.createTempFile(Path.of("target"), "grpcurl-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().put("ATREST_ADDR", "localhost:" + Api.PORT);
        builder.environment().put("GRPCURL", grpcurl.toString());
        builder.environment().put("ATREST_TOKEN", Api.ADMIN_TOKEN);
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("grpcurl script did not finish: " + String.join(" ", command));
        }
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        return new Result(process.exitValue(), out, out + Files.readString(stderr, StandardCharsets.UTF_8));
    }

    /** @param output stdout, then stderr (the order within each is kept; interleaving is not) */
    private record Result(int exitCode, String stdout, String output) {}
}
