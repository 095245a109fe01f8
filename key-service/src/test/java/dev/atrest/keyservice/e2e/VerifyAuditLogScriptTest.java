package dev.atrest.keyservice.e2e;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.support.Api;
import dev.atrest.v1.AuditRecord;
import dev.atrest.v1.ListAuditRecordsRequest;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** scripts/verify-audit-log.sh with the real grpcurl against the running service. */
@QuarkusTest
class VerifyAuditLogScriptTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Inject
    DataSource dataSource;

    @Test
    void verifyScript_intactLog_exitsZero() throws Exception {
        Api.projects().updateProjectEncryption(enableLocal(Api.uniqueId("script")));

        Result verify = run();

        assertThat(verify.exitCode).as(verify.output).isZero();
        assertThat(verify.output).contains("\"intact\": true", "audit log intact (anchor: ANCHOR_");
    }

    @Test
    void verifyScript_recordChanged_exitsOneNamingTheRecord() throws Exception {
        String project = Api.uniqueId("script");
        Api.projects().updateProjectEncryption(enableLocal(project));
        run(); // writes what is queued
        AuditRecord record = Api.audit().listAuditRecords(ListAuditRecordsRequest.newBuilder().setProjectId(project)
                .build()).getRecords(0);

        setOutcome(record.getSequence(), "PERMISSION_DENIED");
        Result verify;
        try {
            verify = run();
        } finally {
            setOutcome(record.getSequence(), record.getOutcome());
        }

        assertThat(verify.exitCode).as(verify.output).isEqualTo(1);
        assertThat(verify.output).contains("\"first_bad_sequence\": \"" + record.getSequence() + "\"", "NOT intact");
    }

    @Test
    void verifyScript_adminToken_keepsTheTokenOutOfTheOutput() throws Exception {
        Result verify = run();

        assertThat(verify.exitCode).as(verify.output).isZero();
        assertThat(verify.output).doesNotContain(Api.ADMIN_TOKEN);
    }

    @Test
    void verifyScript_unknownToken_exitsTwoWithoutEchoingIt() throws Exception {
        String unknown = "atrest_" + "B".repeat(43);

        Result verify = run("localhost:" + Api.PORT, unknown);

        assertThat(verify.exitCode).as(verify.output).isEqualTo(2);
        assertThat(verify.output).contains("\"code\": 16", "unknown bearer token").doesNotContain(unknown);
    }

    @Test
    void verifyScript_noService_exitsTwo() throws Exception {
        Result verify = run("localhost:1", null);

        assertThat(verify.exitCode).as(verify.output).isEqualTo(2);
    }

    private void setOutcome(long sequence, String outcome) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE audit_record SET outcome = ? WHERE sequence = ?")) {
            update.setString(1, outcome);
            update.setLong(2, sequence);
            assertThat(update.executeUpdate()).isOne();
        }
    }

    private static Result run() throws IOException, InterruptedException {
        return run("localhost:" + Api.PORT, Api.ADMIN_TOKEN);
    }

    private static Result run(String address, String token) throws IOException, InterruptedException {
        Path grpcurl = REPO.resolve(".tools/bin/grpcurl");
        assertThat(grpcurl).as("grpcurl is installed by scripts/test-peers/install.sh").isExecutable();
        Path output = Files.createTempFile(Path.of("target"), "verify-audit-", ".out");
        ProcessBuilder builder = new ProcessBuilder(REPO.resolve("scripts/verify-audit-log.sh").toString())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("ATREST_ADDR", address);
        builder.environment().put("GRPCURL", grpcurl.toString());
        // Never the repository's own .data: the token is the one given, or none.
        builder.environment().put("ATREST_DATA_DIR", "target/no-data-dir");
        if (token != null) {
            builder.environment().put("ATREST_TOKEN", token);
        }
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("verify-audit-log.sh did not finish");
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String output) {}
}
