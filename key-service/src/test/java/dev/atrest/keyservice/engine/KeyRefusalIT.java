package dev.atrest.keyservice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.Moto;
import dev.atrest.keyservice.support.Requests;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.Role;
import dev.atrest.v1.ValidateProjectEncryptionRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A MariaDB whose keys atrest refuses, or cannot serve, cannot open its encrypted tables, and nothing is damaged:
 * once atrest serves the keys again, a restarted MariaDB reads every row. One service, one project (its CMK in moto)
 * and one MariaDB data directory for the class; each test starts from MariaDB stopped and atrest serving.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeyRefusalIT {
    private static AtrestKeys atrest;
    private static EngineServer server;
    private static MarkerTables tables;

    @BeforeAll
    static void encryptedTablesWithRows() {
        Path root = EngineFiles.dir("KeyRefusalIT");
        atrest = AtrestKeys.start("engine-refusal", root.resolve("service"));
        server = EngineServer.create(root.resolve("engine"), atrest.engineOptions());
        server.start();
        server.awaitAllEncrypted(Duration.ofSeconds(60));
        tables = new MarkerTables(EngineFiles.marker("REFUSAL"), EngineFiles.marker("REFUSAL-LOGGED"));
        tables.create(server);
        server.stop();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (atrest != null) {
            atrest.close();
        }
    }

    @Test
    @Order(1)
    void cmkDisabledAndValidated_keysRefusedAndMariaDbCannotOpenTables_untilEnabledAndValidatedAgain() throws Exception {
        Moto.setKeyEnabled(atrest.cmkArn, false);
        ProjectEncryption invalid = validate();
        assertThat(invalid.getValid()).as("validation with the CMK disabled").isFalse();
        HttpResponse<String> refused = VaultHttp.readKey(atrest.vaultUrl(), atrest.consumerToken, "1");
        assertThat(refused.statusCode()).as("key read while the CMK is invalid: %s", refused.body()).isEqualTo(412);

        StringBuilder log = new StringBuilder();
        EngineReads.Outcome outcome = EngineReads.startWithoutKeys(server, log);
        // The plugin loads (the mount check passes) but key 1 is refused, so InnoDB cannot start and mariadbd aborts.
        assertThat(outcome).as("error log:%n%s", log).isEqualTo(EngineReads.Outcome.REFUSED_TO_START);
        assertThat(log).as("MariaDB's error log names the refused key fetch")
                .contains("hashicorp: Hashicorp server error: 412", "InnoDB: cannot enable encryption");
        server.stop();

        Moto.setKeyEnabled(atrest.cmkArn, true);
        assertThat(validate().getValid()).as("validation with the CMK enabled again").isTrue();
        startAndReadBack();
    }

    @Test
    @Order(2)
    void atrestUnreachableAtStart_mariaDbCannotOpenTables_readsEverythingOnceAtrestIsBack() throws Exception {
        String url = atrest.vaultUrl();
        atrest.service.stop();
        assertThat(server.options().get("hashicorp-key-management-vault-url")).isEqualTo(url);

        StringBuilder log = new StringBuilder();
        EngineReads.Outcome outcome = EngineReads.startWithoutKeys(server, log);
        // The plugin's mount check cannot connect: the plugin does not load, InnoDB cannot start, mariadbd aborts.
        assertThat(outcome).as("error log:%n%s", log).isEqualTo(EngineReads.Outcome.REFUSED_TO_START);
        assertThat(log).as("MariaDB's error log names the key fetch")
                .contains("hashicorp: curl returned this error code: 7", "hashicorp: Unable to get storage options");
        server.stop();

        atrest.service.start();
        atrest.follow(server.options());
        startAndReadBack();
    }

    @Test
    @Order(3)
    void tokenOfAnotherProjectOrAdminRole_403AndMariaDbCannotReadKeys() throws Exception {
        String other = Api.uniqueId("engine-other");
        atrest.service.projects().updateProjectEncryption(Requests.enableLocal(other, "root-" + other));
        String otherProjects = AtrestKeys.token(atrest.service, "other-consumer", Role.KEY_CONSUMER, other);
        String admin = AtrestKeys.token(atrest.service, "engine-admin", Role.ADMIN, atrest.project);

        for (String token : new String[] {otherProjects, admin}) {
            String which = token.equals(admin) ? "ADMIN token of the project" : "KEY_CONSUMER token of another project";
            HttpResponse<String> refused = VaultHttp.readKey(atrest.vaultUrl(), token, "1");
            assertThat(refused.statusCode()).as("%s: %s", which, refused.body()).isEqualTo(403);
            assertThat(refused.body()).startsWith("{\"errors\":[");

            server.options().token(token);
            StringBuilder log = new StringBuilder();
            EngineReads.Outcome outcome = EngineReads.startWithoutKeys(server, log);
            assertThat(outcome).as("%s; error log:%n%s", which, log).isEqualTo(EngineReads.Outcome.REFUSED_TO_START);
            assertThat(log).as("%s: MariaDB's error log names the refusal", which)
                    .contains("hashicorp: Hashicorp server error: 403");
            server.stop();
        }
        server.options().token(atrest.consumerToken);
        startAndReadBack();
    }

    private static void startAndReadBack() throws SQLException {
        server.start();
        tables.assertReadBack(server);
        server.stop();
    }

    private static ProjectEncryption validate() {
        return atrest.service.projects().validateProjectEncryption(
                ValidateProjectEncryptionRequest.newBuilder().setProjectId(atrest.project).build());
    }
}
