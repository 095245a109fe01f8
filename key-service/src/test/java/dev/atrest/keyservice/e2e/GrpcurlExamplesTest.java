package dev.atrest.keyservice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's grpcurl walk-through, run with the real grpcurl binary against the running service. */
@QuarkusTest
class GrpcurlExamplesTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Test
    void demoScript_againstRunningService_enablesRefusesAndCleansUp() throws Exception {
        String project = Api.uniqueId("demo");

        Result demo = run(REPO.resolve("examples/grpcurl/demo.sh").toString(), project);

        assertThat(demo.exitCode).as(demo.output).isZero();
        assertThat(demo.output)
                .contains("atrest.v1.ProjectEncryptionService", "atrest.v1.ClusterEncryptionService", "grpc.health.v1.Health")
                .contains("\"provider\": \"LOCAL\"")
                .contains("CLUSTER_ENCRYPTION_STATE_ENABLED")
                .contains("CANNOT_DISABLE_ENCRYPTION_AT_REST", "orders-db", "refused, as it should be")
                .contains("\"wrapping_key_id\": \"local:default\"")
                .contains("\"master_key_version\": 2", "\"state\": \"KEY_STATE_DESTROYED\"")
                .contains("\"provider\": \"NONE\"");
    }

    @Test
    void listServices_plaintextReflection_needsNoProtoFiles() throws Exception {
        Result list = run(REPO.resolve("examples/grpcurl/01-list-services.sh").toString());

        assertThat(list.exitCode).as(list.output).isZero();
        assertThat(list.output.lines()).contains("atrest.v1.ProjectEncryptionService", "atrest.v1.ClusterEncryptionService");
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        Path grpcurl = REPO.resolve(".tools/bin/grpcurl");
        assertThat(grpcurl).as("grpcurl is installed by scripts/test-peers/install.sh").isExecutable();
        Path output = Files.createTempFile(Path.of("target"), "grpcurl-", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("ATREST_ADDR", "localhost:" + Api.PORT);
        builder.environment().put("GRPCURL", grpcurl.toString());
        builder.environment().put("ATREST_TOKEN", Api.ADMIN_TOKEN);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("grpcurl script did not finish: " + String.join(" ", command));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String output) {}
}
