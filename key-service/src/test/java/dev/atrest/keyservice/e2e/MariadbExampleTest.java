package dev.atrest.keyservice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.support.Api;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.ListClusterKeysRequest;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * examples/mariadb/demo.sh, run as a DBA would against the running service (its Vault API is on in tests): a real
 * Debian mariadbd with hashicorp_key_management, its own datadir, socket and port under target/, the system
 * MariaDB left alone.
 */
@QuarkusTest
class MariadbExampleTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TestHTTPResource("/")
    URL vaultApi;

    @Test
    void demoScript_againstRunningService_encryptsWithAtrestKeysAndAuditsTheReads() throws Exception {
        String project = Api.uniqueId("mariadb");
        Path work = Files.createDirectories(Path.of("target").toAbsolutePath().resolve("mariadb-example-" + project));

        Result demo = run(work, project);

        assertThat(demo.exitCode).as(demo.output).isZero();
        assertThat(demo.output)
                .contains("plugin_load_add=hashicorp_key_management",
                        "hashicorp-key-management-vault-url=" + base() + "/v1/atrest/" + project + "/orders-db")
                .contains("hashicorp_key_management", "ACTIVE")
                .contains("Ada", "Grace", "99.00")
                .contains("atrest.v1.DatabaseKeyService/GetDatabaseKey", "vault-kv")
                .doesNotContain("hashicorp: ", "\"secret\"");
        assertThat(demo.output).doesNotContainPattern("atrest_[A-Za-z0-9_-]{43}");
        // ENCRYPTION_SCHEME 1 (encrypted), the table's key id, atrest's key version 1.
        assertThat(demo.stdout.lines().filter(line -> line.startsWith("| shop/"))).as(demo.output)
                .anyMatch(row -> row.matches("\\|\\s*shop/customers\\s*\\|\\s*1\\s*\\|\\s*1\\s*\\|\\s*1\\s*\\|.*"))
                .anyMatch(row -> row.matches("\\|\\s*shop/orders\\s*\\|\\s*1\\s*\\|\\s*3\\s*\\|\\s*1\\s*\\|.*"));
        // MariaDB's key ids are the cluster's database keys: 1 (default), 2 (temporary files), 3 (orders).
        assertThat(Api.clusters().listClusterKeys(ListClusterKeysRequest.newBuilder().setProjectId(project)
                .setClusterName("orders-db").build()).toString())
                .contains("database_name: \"1\"", "database_name: \"2\"", "database_name: \"3\"");
        // The keys in hex, as the endpoint serves them to MariaDB, appear nowhere in what the demo prints.
        assertThat(demo.output).doesNotContain(hexKey(project, "1"), hexKey(project, "3"));
    }

    private String base() {
        String url = vaultApi.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String hexKey(String project, String keyId) {
        byte[] key = Api.databaseKeys().getDatabaseKey(GetDatabaseKeyRequest.newBuilder().setProjectId(project)
                .setClusterName("orders-db").setDatabaseName(keyId).build()).getKey().toByteArray();
        return HexFormat.of().formatHex(key);
    }

    private Result run(Path work, String project) throws IOException, InterruptedException {
        Path grpcurl = REPO.resolve(".tools/bin/grpcurl");
        assertThat(grpcurl).as("grpcurl is installed by scripts/test-peers/install.sh").isExecutable();
        assertThat(Path.of("/usr/lib/mysql/plugin/hashicorp_key_management.so"))
                .as("Debian's mariadb-plugin-hashicorp-key-management is installed (.ci/run installs it)").exists();
        Path stdout = work.resolve("demo.out");
        Path stderr = work.resolve("demo.err");
        ProcessBuilder builder = new ProcessBuilder(REPO.resolve("examples/mariadb/demo.sh").toString(), project)
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().put("ATREST_ADDR", "localhost:" + Api.PORT);
        builder.environment().put("GRPCURL", grpcurl.toString());
        builder.environment().put("ATREST_TOKEN", Api.ADMIN_TOKEN);
        builder.environment().put("ATREST_VAULT_ADDR", base());
        builder.environment().put("MARIADB_DEMO_DIR", work.resolve("mariadb").toString());
        Process process = builder.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("examples/mariadb/demo.sh did not finish in 180 s; see " + work);
        }
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        return new Result(process.exitValue(), out, out + Files.readString(stderr, StandardCharsets.UTF_8));
    }

    /** @param output stdout, then stderr */
    private record Result(int exitCode, String stdout, String output) {}
}
