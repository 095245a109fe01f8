package dev.atrest.keyservice.datakey;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.support.Api;
import dev.atrest.testsupport.Awaits;
import dev.atrest.v1.DatabaseKey;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.RotateMasterKeyRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** GetDatabaseKey over real gRPC: first use, versions, rotation, refusals, bad input, and the log. */
@QuarkusTest
class DatabaseKeyGrpcTest {
    /** Every key this class received, to look for in the service log afterwards. */
    private static final List<byte[]> RELEASED = new CopyOnWriteArrayList<>();

    @Test
    void getDatabaseKey_firstUseThenAgain_sameKeyAtVersionOne() {
        String project = encryptedProject();

        DatabaseKey first = get(project, "orders", 0);
        DatabaseKey again = get(project, "orders", 0);
        DatabaseKey byVersion = get(project, "orders", 1);

        assertThat(first.getKey().size()).isEqualTo(32);
        assertThat(first.getVersion()).isEqualTo(1);
        assertThat(first.getMasterKeyVersion()).isEqualTo(1);
        assertThat(first.getProjectId()).isEqualTo(project);
        assertThat(first.getClusterName()).isEqualTo("c1");
        assertThat(first.getDatabaseName()).isEqualTo("orders");
        assertThat(again.getKey()).isEqualTo(first.getKey());
        assertThat(byVersion.getKey()).isEqualTo(first.getKey());
        assertThat(get(project, "payments", 0).getKey()).isNotEqualTo(first.getKey());
    }

    @Test
    void getDatabaseKey_clusterNotEncrypted_failedPreconditionNotEnabled() {
        String project = encryptedProject();

        assertRefused(() -> get(project, "orders", 0, "never-configured"), "ENCRYPTION_AT_REST_NOT_ENABLED");
    }

    @Test
    void getDatabaseKey_clusterDisabledAfterARelease_refusedAtOnce() {
        String project = encryptedProject();
        get(project, "orders", 0); // now held in memory

        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.NONE));

        assertRefused(() -> get(project, "orders", 0), "ENCRYPTION_AT_REST_NOT_ENABLED");
        assertRefused(() -> get(project, "orders", 1), "ENCRYPTION_AT_REST_NOT_ENABLED");
    }

    @Test
    void getDatabaseKey_unknownVersion_notFound() {
        String project = encryptedProject();
        get(project, "orders", 0);

        assertNotFound(() -> get(project, "orders", 2));
        assertNotFound(() -> get(project, "never-used", 1)); // a version is never created on demand
        assertNotFound(() -> get(project, "never-used", 1)); // nor remembered as missing
    }

    @Test
    void getDatabaseKey_olderVersionAfterRotation_sameBytesUnderNewMasterKeyVersion() throws Exception {
        String project = encryptedProject();
        DatabaseKey before = get(project, "orders", 0);

        Api.clusters().rotateMasterKey(RotateMasterKeyRequest.newBuilder().setProjectId(project)
                .setClusterName("c1").build());
        Awaits.rotationFinished(Api::clusters, project, "c1");

        DatabaseKey byVersion = get(project, "orders", 1);
        DatabaseKey current = get(project, "orders", 0);
        assertThat(before.getMasterKeyVersion()).isEqualTo(1);
        assertThat(byVersion.getMasterKeyVersion()).isEqualTo(2);
        assertThat(byVersion.getVersion()).isEqualTo(1);
        assertThat(byVersion.getKey()).isEqualTo(before.getKey());
        assertThat(current.getKey()).isEqualTo(before.getKey());
        assertThat(current.getMasterKeyVersion()).isEqualTo(2);
    }

    @Test
    void getDatabaseKey_badInput_invalidArgumentNamingEveryField() {
        GetDatabaseKeyRequest bad = GetDatabaseKeyRequest.newBuilder().setProjectId("")
                .setClusterName("no spaces").setDatabaseName("x".repeat(65)).setVersion(-1).build();

        assertThatThrownBy(() -> Api.databaseKeys().getDatabaseKey(bad))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(Api.violatedFields(e))
                            .containsExactly("project_id", "cluster_name", "database_name", "version");
                });
    }

    /** Runs after every test of this class has received its keys through the service. */
    @AfterAll
    static void keyBytesNeverInTheLog() throws Exception {
        String log = Files.readString(Path.of("target", "test-logs", "key-service.log"));
        assertThat(RELEASED).isNotEmpty();
        assertThat(log).isNotEmpty();
        for (byte[] key : RELEASED) {
            assertThat(log).doesNotContain(HexFormat.of().formatHex(key))
                    .doesNotContain(Base64.getEncoder().encodeToString(key));
        }
    }

    static DatabaseKey get(String project, String database, int version) {
        return get(project, database, version, "c1");
    }

    private static DatabaseKey get(String project, String database, int version, String cluster) {
        DatabaseKey key = Api.databaseKeys().getDatabaseKey(GetDatabaseKeyRequest.newBuilder().setProjectId(project)
                .setClusterName(cluster).setDatabaseName(database).setVersion(version).build());
        RELEASED.add(key.getKey().toByteArray());
        return key;
    }

    static String encryptedProject() {
        String project = Api.uniqueId("dk");
        Api.projects().updateProjectEncryption(enableLocal(project));
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));
        return project;
    }

    private static void assertRefused(Runnable call, String reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(Api.errorInfo(e).getReason()).isEqualTo(reason);
        });
    }

    private static void assertNotFound(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }
}
