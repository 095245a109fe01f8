package dev.atrest.keyservice.vault;

import static dev.atrest.keyservice.support.Requests.keys;
import static dev.atrest.keyservice.vault.VaultApi.dataPath;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.masterkey.KeyAccessChanged;
import dev.atrest.keyservice.store.ProjectEncryptionRepository;
import dev.atrest.keyservice.support.Api;
import dev.atrest.v1.AuditRecord;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.ListAuditRecordsRequest;
import dev.atrest.v1.Role;
import dev.atrest.v1.RotateDatabaseKeyRequest;
import dev.atrest.v1.VerifyAuditLogRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Vault-KV-v2 read endpoint, called as MariaDB's hashicorp_key_management plugin calls it (and as an
 * attacker would): the key it serves is GetDatabaseKey's, under GetDatabaseKey's access rule, audit and
 * lock-out; bad input is a clean 4xx that stores nothing.
 */
@QuarkusTest
class VaultKvApiTest {
    @TestHTTPResource("/")
    URI base;

    @Inject
    ProjectEncryptionRepository projects;

    @Inject
    Event<KeyAccessChanged> keyAccessChanged;

    @Test
    void read_keyConsumerOfTheProject_servesTheKeyGetDatabaseKeyServes() {
        String project = Api.encryptedLocalProject("vault", "c1");
        String token = Api.createToken(Role.KEY_CONSUMER, project).getSecret();

        HttpResponse<String> read = vault().get(dataPath(project, "c1", "1"), token);

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(VaultApi.version(read)).isEqualTo(1);
        byte[] viaGrpc = Api.as(token).databaseKeys().getDatabaseKey(GetDatabaseKeyRequest.newBuilder()
                .setProjectId(project).setClusterName("c1").setDatabaseName("1").build()).getKey().toByteArray();
        assertThat(VaultApi.key(read)).hasSize(32).isEqualTo(viaGrpc);
        // Another key id is another database key.
        assertThat(VaultApi.key(vault().get(dataPath(project, "c1", "2"), token))).isNotEqualTo(viaGrpc);
    }

    @Test
    void read_byVersion_servesThatVersionAndNoOther() {
        String project = Api.encryptedLocalProject("vault", "c1");
        String token = Api.createToken(Role.KEY_CONSUMER, project).getSecret();
        byte[] latest = VaultApi.key(vault().get(dataPath(project, "c1", "7"), token));

        HttpResponse<String> first = vault().get(dataPath(project, "c1", "7") + "?version=1", token);
        HttpResponse<String> latestByZero = vault().get(dataPath(project, "c1", "7") + "?version=0", token);
        HttpResponse<String> never = vault().get(dataPath(project, "c1", "7") + "?version=2", token);

        assertThat(VaultApi.key(first)).isEqualTo(latest);
        assertThat(VaultApi.key(latestByZero)).isEqualTo(latest);
        assertThat(never.statusCode()).isEqualTo(404);
        assertThat(never.body()).startsWith("{\"errors\":[\"").contains("no key version 2");
    }

    @Test
    void read_afterRotateDatabaseKey_latestIsTheNewVersion_olderStillByNumber() {
        String project = Api.encryptedLocalProject("vault", "c1");
        String token = Api.createToken(Role.KEY_CONSUMER, project).getSecret();
        byte[] first = VaultApi.key(vault().get(dataPath(project, "c1", "1"), token));

        Api.clusters().rotateDatabaseKey(RotateDatabaseKeyRequest.newBuilder().setProjectId(project)
                .setClusterName("c1").setDatabaseName("1").setExpectedVersion(1).build());
        HttpResponse<String> latest = vault().get(dataPath(project, "c1", "1"), token);
        HttpResponse<String> older = vault().get(dataPath(project, "c1", "1") + "?version=1", token);

        assertThat(VaultApi.version(latest)).isEqualTo(2);
        assertThat(VaultApi.key(latest)).hasSize(32).isNotEqualTo(first);
        assertThat(VaultApi.version(older)).isEqualTo(1);
        assertThat(VaultApi.key(older)).isEqualTo(first);
        assertThat(latest.body()).containsPattern("\"created_time\":\"\\d{4}-\\d\\d-\\d\\dT");
    }

    @Test
    void read_everyRelease_auditedAsGetDatabaseKeyViaTheVaultApi() {
        String project = Api.encryptedLocalProject("vault", "c1");
        String token = Api.createToken(Role.KEY_CONSUMER, project).getSecret();

        vault().get(dataPath(project, "c1", "3"), token);
        vault().get(dataPath(project, "c1", "3") + "?version=9", token);

        List<AuditRecord> reads = recordsOf(project).stream()
                .filter(r -> r.getAction().equals("atrest.v1.DatabaseKeyService/GetDatabaseKey")).toList();
        assertThat(reads).extracting(AuditRecord::getResource)
                .containsOnly("projects/" + project + "/clusters/c1/databases/3");
        assertThat(reads).extracting(AuditRecord::getOutcome).containsExactly("OK", "NOT_FOUND");
        assertThat(reads).allSatisfy(r -> assertThat(r.getDetail()).startsWith("vault-kv"));
    }

    @Test
    void mountTune_encryptedCluster_kvVersion2_otherwise404() {
        String project = Api.encryptedLocalProject("vault", "c1");
        String token = Api.createToken(Role.KEY_CONSUMER, project).getSecret();

        HttpResponse<String> tune = vault().get("/v1/sys/mounts/atrest/" + project + "/c1/tune", token);
        HttpResponse<String> notEncrypted = vault().get("/v1/sys/mounts/atrest/" + project + "/c2/tune", token);

        assertThat(tune.statusCode()).isEqualTo(200);
        assertThat(tune.body()).contains("\"options\":{\"version\":\"2\"}");
        assertThat(notEncrypted.statusCode()).isEqualTo(404);
        assertThat(notEncrypted.body()).contains("not encrypted");
    }

    @Test
    void read_noTokenUnknownTokenOtherProjectOrAdmin_403AndNothingCreated() {
        String project = Api.encryptedLocalProject("vault", "c1");
        String otherProject = Api.encryptedLocalProject("vault", "c1");
        String path = dataPath(project, "c1", "1");

        List<HttpResponse<String>> refused = List.of(
                vault().get(path, null),
                vault().get(path, "atrest_not-a-token"),
                vault().get(path, Api.createToken(Role.KEY_CONSUMER, otherProject).getSecret()),
                vault().get(path, Api.createToken(Role.ADMIN, project).getSecret()),
                vault().get(path, Api.ADMIN_TOKEN),
                vault().get("/v1/sys/mounts/atrest/" + project + "/c1/tune", null));

        assertThat(refused).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).startsWith("{\"errors\":[\"");
        });
        assertThat(refused.get(0).body()).contains("X-Vault-Token");
        assertThat(Api.clusters().listClusterKeys(keys(project, "c1")).getDatabaseKeysList()).isEmpty();
    }

    @Test
    void read_projectCmkFailedItsLastCheck_412NamingTheReason_thenServedAgain() {
        String project = Api.encryptedLocalProject("vault", "c1");
        String token = Api.createToken(Role.KEY_CONSUMER, project).getSecret();
        byte[] before = VaultApi.key(vault().get(dataPath(project, "c1", "1"), token));

        setValid(project, false);
        HttpResponse<String> lockedOut = vault().get(dataPath(project, "c1", "1"), token);
        HttpResponse<String> tune = vault().get("/v1/sys/mounts/atrest/" + project + "/c1/tune", token);
        setValid(project, true);
        HttpResponse<String> restored = vault().get(dataPath(project, "c1", "1"), token);

        assertThat(lockedOut.statusCode()).isEqualTo(412);
        assertThat(lockedOut.body()).contains("customer master key failed its last check");
        // The mount check passes: an engine starts, and its key read then fails with the reason above.
        assertThat(tune.statusCode()).isEqualTo(200);
        assertThat(VaultApi.key(restored)).isEqualTo(before);
    }

    @Test
    void badInput_clean4xx_nothingCreated_serviceKeepsServing() {
        String project = Api.encryptedLocalProject("vault", "c1");
        String token = Api.createToken(Role.KEY_CONSUMER, project).getSecret();
        String mount = "/v1/atrest/" + project + "/c1";
        List<String> badPaths = List.of(
                mount + "/data/abc", mount + "/data/-1", mount + "/data/01", mount + "/data/0", mount + "/data/1.0",
                mount + "/data/4294967296", mount + "/data/99999999999999999999999999",
                mount + "/data/1?version=x", mount + "/data/1?version=-1", mount + "/data/1?version=2147483648",
                mount + "/data/1?version=1&version=1", mount + "/data/1?version=",
                mount + "/data/1/2", mount + "/data/", mount + "/data/..%2F..%2F1",
                "/v1/atrest/" + project + "/../" + project + "/c1/data/1x", "/v1/atrest/%2e%2e/c1/data/1",
                "/v1/atrest/" + project + "/c1/extra/data/1", "/v1/secret/data/1", "/v1/atrest/p%00x/c1/data/1",
                "/v1/atrest/" + "p".repeat(65) + "/c1/data/1", "/v1/sys/mounts/atrest/../../etc/tune",
                "/v1/sys/mounts/atrest/" + project + "/c1/x/tune", "/", "/v1/", "/v2/atrest/" + project + "/c1/data/1");

        for (String path : badPaths) {
            HttpResponse<String> response = vault().get(path, token);
            assertThat(response.statusCode()).as(path).isBetween(400, 499);
            assertThat(response.body()).as(path).startsWith("{\"errors\":[\"");
        }
        HttpResponse<String> twoTokens = vault().send(HttpRequest.newBuilder(vault().uri(mount + "/data/1"))
                .header("X-Vault-Token", token).header("X-Vault-Token", token).GET().build());
        assertThat(twoTokens.statusCode()).isEqualTo(400);
        assertThat(twoTokens.body()).contains("X-Vault-Token");
        HttpResponse<String> oversized = vault().send(HttpRequest.newBuilder(vault().uri(mount + "/data/1"))
                .header("X-Vault-Token", token).method("GET", HttpRequest.BodyPublishers.ofByteArray(new byte[1 << 20]))
                .build());
        assertThat(oversized.statusCode()).isBetween(400, 499);

        assertThat(Api.clusters().listClusterKeys(keys(project, "c1")).getDatabaseKeysList()).isEmpty();
        assertThat(Api.health()).isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void everyMethodButGet_405OnEveryPath_nothingCreated() {
        String project = Api.encryptedLocalProject("vault", "c1");
        String token = Api.createToken(Role.KEY_CONSUMER, project).getSecret();
        List<String> paths = List.of(dataPath(project, "c1", "1"), "/v1/sys/mounts/atrest/" + project + "/c1/tune",
                "/v1/atrest/" + project + "/c1/metadata/1", "/v1/sys/mounts/atrest/" + project + "/c1", "/nothing");

        for (String path : paths) {
            for (String method : List.of("POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "LIST", "TRACE")) {
                HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofString("{\"data\":{\"data\":\"00\"}}");
                HttpResponse<String> response = vault().send(HttpRequest.newBuilder(vault().uri(path))
                        .header("X-Vault-Token", token).method(method, body).build());
                assertThat(response.statusCode()).as(method + " " + path).isEqualTo(405);
            }
        }
        assertThat(Api.clusters().listClusterKeys(keys(project, "c1")).getDatabaseKeysList()).isEmpty();
    }

    private VaultApi vault() {
        return new VaultApi(base);
    }

    private void setValid(String project, boolean valid) {
        QuarkusTransaction.requiringNew().run(() -> projects.findByProjectId(project).orElseThrow().valid = valid);
        keyAccessChanged.fire(new KeyAccessChanged(project));
    }

    private static List<AuditRecord> recordsOf(String project) {
        Api.audit().verifyAuditLog(VerifyAuditLogRequest.getDefaultInstance());
        return Api.audit().listAuditRecords(ListAuditRecordsRequest.newBuilder().setProjectId(project)
                .setPageSize(1000).build()).getRecordsList();
    }

}
