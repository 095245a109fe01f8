package dev.atrest.keyservice.cluster;

import static dev.atrest.keyservice.support.Requests.keys;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.atrest.keyservice.datakey.DatabaseKeys;
import dev.atrest.keyservice.datakey.ReleasedDatabaseKey;
import dev.atrest.keyservice.store.ProjectEncryptionRepository;
import dev.atrest.keyservice.support.Api;
import dev.atrest.v1.AuditRecord;
import dev.atrest.v1.DatabaseKey;
import dev.atrest.v1.DatabaseKeyInfo;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.KeyState;
import dev.atrest.v1.ListAuditRecordsRequest;
import dev.atrest.v1.Role;
import dev.atrest.v1.RotateDatabaseKeyRequest;
import dev.atrest.v1.VerifyAuditLogRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** RotateDatabaseKey over real gRPC: new versions, what GetDatabaseKey and ListClusterKeys then say, refusals. */
@QuarkusTest
class RotateDatabaseKeyGrpcTest {
    @Inject
    ProjectEncryptionRepository projects;

    @Inject
    DatabaseKeys databaseKeys;

    @Test
    void rotateDatabaseKey_afterARelease_newVersionServedAsCurrentOldOneByNumber() {
        String project = Api.encryptedLocalProject("rdk", "c1");
        DatabaseKey before = get(project, "orders", 0); // now held in memory as the current key

        DatabaseKeyInfo rotated = rotate(project, "orders");

        DatabaseKey current = get(project, "orders", 0);
        assertThat(rotated.getDatabaseName()).isEqualTo("orders");
        assertThat(rotated.getVersion()).isEqualTo(2);
        assertThat(rotated.getState()).isEqualTo(KeyState.KEY_STATE_ACTIVE);
        assertThat(rotated.getWrappedByMasterKeyVersion()).isEqualTo(1);
        assertThat(rotated.hasCreateTime()).isTrue();
        assertThat(current.getVersion()).isEqualTo(2);
        assertThat(current.getKey().size()).isEqualTo(32);
        assertThat(current.getKey()).isNotEqualTo(before.getKey());
        assertThat(get(project, "orders", 1).getKey()).isEqualTo(before.getKey());
        assertThat(get(project, "orders", 2).getKey()).isEqualTo(current.getKey());
        assertThat(Api.clusters().listClusterKeys(keys(project, "c1")).getDatabaseKeysList())
                .extracting(DatabaseKeyInfo::getDatabaseName, DatabaseKeyInfo::getVersion, DatabaseKeyInfo::getState)
                .containsExactly(tuple("orders", 1, KeyState.KEY_STATE_RETIRED),
                        tuple("orders", 2, KeyState.KEY_STATE_ACTIVE));
    }

    @Test
    void rotateDatabaseKey_databaseWithoutKey_makesVersionOneServedAsCurrent() {
        String project = Api.encryptedLocalProject("rdk", "c1");

        DatabaseKeyInfo first = Api.clusters().rotateDatabaseKey(request(project, "orders").setExpectedVersion(0).build());

        assertThat(first.getVersion()).isEqualTo(1);
        assertThat(first.getState()).isEqualTo(KeyState.KEY_STATE_ACTIVE);
        assertThat(get(project, "orders", 0).getVersion()).isEqualTo(1);
        assertThat(Api.clusters().listClusterKeys(keys(project, "c1")).getDatabaseKeysList()).hasSize(1);
    }

    @Test
    void rotateDatabaseKey_releasedKey_carriesTheStoredCreateTime() {
        String project = Api.encryptedLocalProject("rdk", "c1");
        DatabaseKeyInfo rotated = rotate(project, "orders");

        try (ReleasedDatabaseKey current = databaseKeys.getOrCreate(project, "c1", "orders")) {
            assertThat(current.createTime()).isEqualTo(Instant.ofEpochSecond(
                    rotated.getCreateTime().getSeconds(), rotated.getCreateTime().getNanos()));
        }
        DatabaseKeyInfo listed = Api.clusters().listClusterKeys(keys(project, "c1")).getDatabaseKeys(0);
        assertThat(listed.getCreateTime()).isEqualTo(rotated.getCreateTime());
    }

    @Test
    void rotateDatabaseKey_expectedVersionNotCurrent_failedPreconditionAndNothingMade() {
        String project = Api.encryptedLocalProject("rdk", "c1");
        rotate(project, "orders");
        rotate(project, "orders");

        assertThatThrownBy(() -> Api.clusters().rotateDatabaseKey(request(project, "orders").setExpectedVersion(1).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(Api.errorInfo(e).getReason()).isEqualTo("DATABASE_KEY_VERSION_CHANGED");
                    assertThat(Api.errorInfo(e).getMetadataMap()).containsEntry("current_version", "2");
                });

        assertThat(versions(project)).containsExactly(1, 2);
        DatabaseKeyInfo matching = Api.clusters().rotateDatabaseKey(request(project, "orders").setExpectedVersion(2).build());
        assertThat(matching.getVersion()).isEqualTo(3);
    }

    @Test
    void rotateDatabaseKey_clusterNotEncrypted_failedPreconditionNotEnabled() {
        String project = Api.encryptedLocalProject("rdk", "c1");
        rotate(project, "orders");
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.NONE));

        assertRefused(() -> rotate(project, "orders"), "ENCRYPTION_AT_REST_NOT_ENABLED");
        assertRefused(() -> rotate(project, "orders", "never-configured"), "ENCRYPTION_AT_REST_NOT_ENABLED");
        assertThat(versions(project)).containsExactly(1);
    }

    @Test
    void rotateDatabaseKey_cmkFailedItsLastCheck_refusedUntilValidAgain() {
        String project = Api.encryptedLocalProject("rdk", "c1");
        rotate(project, "orders");
        setCmkValid(project, false);

        assertRefused(() -> rotate(project, "orders"), "ENCRYPTION_AT_REST_SETTINGS_INVALID");
        assertThat(versions(project)).containsExactly(1);

        setCmkValid(project, true);
        assertThat(rotate(project, "orders").getVersion()).isEqualTo(2);
    }

    @Test
    void rotateDatabaseKey_keyConsumerRefusedProjectAdminAdmitted() {
        String project = Api.encryptedLocalProject("rdk", "c1");
        RotateDatabaseKeyRequest request = request(project, "orders").build();

        assertThatThrownBy(() -> Api.withNewToken(Role.KEY_CONSUMER, project).clusters().rotateDatabaseKey(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThat(versions(project)).isEmpty();

        DatabaseKeyInfo made = Api.withNewToken(Role.ADMIN, project).clusters().rotateDatabaseKey(request);
        assertThat(made.getVersion()).isEqualTo(1);
    }

    @Test
    void rotateDatabaseKey_everyCall_auditedWithItsDatabaseAndOutcome() {
        String project = Api.encryptedLocalProject("rdk", "c1");
        String database = "projects/" + project + "/clusters/c1/databases/orders";
        rotate(project, "orders");
        assertThatThrownBy(() -> Api.clusters().rotateDatabaseKey(request(project, "orders").setExpectedVersion(0).build()))
                .isInstanceOf(StatusRuntimeException.class);

        Api.audit().verifyAuditLog(VerifyAuditLogRequest.getDefaultInstance());
        List<AuditRecord> records = Api.audit().listAuditRecords(ListAuditRecordsRequest.newBuilder()
                .setProjectId(project).setPageSize(1000).build()).getRecordsList();

        assertThat(records).extracting(AuditRecord::getAction, AuditRecord::getResource, AuditRecord::getOutcome)
                .containsSubsequence(
                        tuple("atrest.v1.ClusterEncryptionService/RotateDatabaseKey", database, "OK"),
                        tuple("atrest.v1.ClusterEncryptionService/RotateDatabaseKey", database, "FAILED_PRECONDITION"));
    }

    @Test
    void rotateDatabaseKey_badInput_invalidArgumentNamingEveryFieldAndNothingStored() {
        String project = Api.encryptedLocalProject("rdk", "c1");
        RotateDatabaseKeyRequest bad = RotateDatabaseKeyRequest.newBuilder().setProjectId("")
                .setClusterName("no spaces").setDatabaseName("x".repeat(65)).setExpectedVersion(-1).build();
        RotateDatabaseKeyRequest negative = request(project, "orders").setExpectedVersion(-1).build();
        RotateDatabaseKeyRequest badDatabase = request(project, "../orders").build();

        assertInvalid(bad, "project_id", "cluster_name", "database_name", "expected_version");
        assertInvalid(negative, "expected_version");
        assertInvalid(badDatabase, "database_name");
        assertThat(versions(project)).isEmpty();
    }

    @Test
    void rotateDatabaseKey_concurrentCalls_consecutiveVersionsAndOneActive() throws Exception {
        String project = Api.encryptedLocalProject("rdk", "c1");
        rotate(project, "orders");
        rotate(project, "orders");
        int callers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Integer> made = new ArrayList<>();
        int aborted = 0;
        try {
            List<Future<DatabaseKeyInfo>> pending = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                pending.add(pool.submit(() -> {
                    start.await();
                    return rotate(project, "orders");
                }));
            }
            start.countDown();
            for (Future<DatabaseKeyInfo> result : pending) {
                try {
                    made.add(result.get().getVersion());
                } catch (java.util.concurrent.ExecutionException e) {
                    // A caller that lost every round is told to try again, having made nothing.
                    assertThat(e.getCause()).isInstanceOfSatisfying(StatusRuntimeException.class,
                            refused -> assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
                    aborted++;
                }
            }
        } finally {
            pool.shutdownNow();
        }

        int total = 2 + made.size();
        assertThat(made).hasSize(callers - aborted).isNotEmpty().doesNotHaveDuplicates();
        assertThat(versions(project)).containsExactlyElementsOf(IntStream.rangeClosed(1, total).boxed().toList());
        assertThat(Api.clusters().listClusterKeys(keys(project, "c1")).getDatabaseKeysList())
                .filteredOn(key -> key.getState() == KeyState.KEY_STATE_ACTIVE)
                .extracting(DatabaseKeyInfo::getVersion).containsExactly(total);
        assertThat(get(project, "orders", 0).getVersion()).isEqualTo(total);
    }

    private void setCmkValid(String project, boolean valid) {
        QuarkusTransaction.requiringNew().run(() -> {
            var row = projects.findByProjectId(project).orElseThrow();
            row.valid = valid;
            row.validationError = valid ? null : "KMS says the key is disabled (test)";
        });
    }

    private static DatabaseKeyInfo rotate(String project, String database) {
        return rotate(project, database, "c1");
    }

    private static DatabaseKeyInfo rotate(String project, String database, String cluster) {
        return Api.clusters().rotateDatabaseKey(request(project, database).setClusterName(cluster).build());
    }

    private static RotateDatabaseKeyRequest.Builder request(String project, String database) {
        return RotateDatabaseKeyRequest.newBuilder().setProjectId(project).setClusterName("c1")
                .setDatabaseName(database);
    }

    private static DatabaseKey get(String project, String database, int version) {
        return Api.databaseKeys().getDatabaseKey(GetDatabaseKeyRequest.newBuilder().setProjectId(project)
                .setClusterName("c1").setDatabaseName(database).setVersion(version).build());
    }

    /** The versions of database "orders" that ListClusterKeys shows, in order. */
    private static List<Integer> versions(String project) {
        return Api.clusters().listClusterKeys(keys(project, "c1")).getDatabaseKeysList().stream()
                .filter(key -> key.getDatabaseName().equals("orders")).map(DatabaseKeyInfo::getVersion).toList();
    }


    private static void assertRefused(Runnable call, String reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(Api.errorInfo(e).getReason()).isEqualTo(reason);
        });
    }

    private static void assertInvalid(RotateDatabaseKeyRequest request, String... fields) {
        assertThatThrownBy(() -> Api.clusters().rotateDatabaseKey(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(Api.violatedFields(e)).containsExactly(fields);
                });
    }
}
