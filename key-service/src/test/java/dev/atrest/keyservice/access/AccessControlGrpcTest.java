package dev.atrest.keyservice.access;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.ErrorInfo;
import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.Client;
import dev.atrest.keyservice.support.TestClock;
import dev.atrest.v1.AuditRecord;
import dev.atrest.v1.AuditServiceGrpc.AuditServiceBlockingStub;
import dev.atrest.v1.ClusterEncryptionState;
import dev.atrest.v1.CreateAccessTokenRequest;
import dev.atrest.v1.CreateAccessTokenResponse;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetClusterEncryptionRequest;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ListAuditRecordsRequest;
import dev.atrest.v1.ListAuditRecordsResponse;
import dev.atrest.v1.ListClusterKeysRequest;
import dev.atrest.v1.ListSnapshotsRequest;
import dev.atrest.v1.RegisterSnapshotRequest;
import dev.atrest.v1.RevokeAccessTokenRequest;
import dev.atrest.v1.Role;
import dev.atrest.v1.VerifyAuditLogRequest;
import dev.atrest.v1.VerifyAuditLogResponse;
import dev.atrest.v1.WhoAmIRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The authentication and authorisation matrix on the running service, over real gRPC: each refusal
 * has the right code and a message that says why, is recorded once in the audit log, and changes or
 * releases nothing.
 */
@QuarkusTest
class AccessControlGrpcTest {
    @Inject
    TestClock clock;

    @Test
    void anyRpc_noCredentials_unauthenticated() {
        String project = Api.uniqueId("p");

        assertRefused(() -> Api.anonymous().projects().updateProjectEncryption(enableLocal(project)),
                Status.Code.UNAUTHENTICATED, "no credentials");

        assertNoProject(project);
    }

    @Test
    void anyRpc_malformedToken_unauthenticatedWithoutEchoingIt() {
        String malformed = "not-a-token-at-all";

        StatusRuntimeException refusal = refused(() -> Api.as(malformed).projects()
                .getProjectEncryption(getProject("p1")), Status.Code.UNAUTHENTICATED, "malformed bearer token");

        assertThat(refusal.getStatus().getDescription()).doesNotContain(malformed);
    }

    @Test
    void anyRpc_unknownToken_unauthenticated() {
        String unknown = "atrest_" + "A".repeat(43);

        StatusRuntimeException refusal = refused(() -> Api.as(unknown).access().whoAmI(WhoAmIRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED, "unknown bearer token");

        assertThat(refusal.getStatus().getDescription()).doesNotContain(unknown);
    }

    @Test
    void anyRpc_revokedToken_unauthenticatedAtOnce() {
        String project = encryptedCluster("c1");
        CreateAccessTokenResponse token = Api.createToken(Role.ADMIN, project);
        Client holder = Api.as(token.getSecret());
        holder.access().whoAmI(WhoAmIRequest.getDefaultInstance());

        Api.access().revokeAccessToken(RevokeAccessTokenRequest.newBuilder().setTokenId(token.getToken().getTokenId()).build());

        assertRefused(() -> holder.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.NONE)),
                Status.Code.UNAUTHENTICATED, "revoked token " + token.getToken().getTokenId());
        assertThat(clusterState(project, "c1")).isEqualTo(ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_ENABLED);
    }

    @Test
    void anyRpc_expiredToken_unauthenticated() {
        String project = Api.uniqueId("p");
        CreateAccessTokenResponse token = Api.access().createAccessToken(CreateAccessTokenRequest.newBuilder()
                .setName("one-day").setRole(Role.ADMIN).addProjectIds(project).setTtlDays(1).build());
        Client holder = Api.as(token.getSecret());
        holder.access().whoAmI(WhoAmIRequest.getDefaultInstance());

        clock.advance(Duration.ofDays(1).plusSeconds(1));

        assertRefused(() -> holder.projects().updateProjectEncryption(enableLocal(project)),
                Status.Code.UNAUTHENTICATED, "expired token " + token.getToken().getTokenId());
        assertNoProject(project);
    }

    @Test
    void projectRpc_tokenForAnotherProject_permissionDeniedWithErrorInfo() {
        String mine = Api.uniqueId("mine");
        String theirs = Api.uniqueId("theirs");
        Client admin = Api.withNewToken(Role.ADMIN, mine);

        StatusRuntimeException refusal = refused(() -> admin.projects().updateProjectEncryption(enableLocal(theirs)),
                Status.Code.PERMISSION_DENIED, "on project '" + theirs + "'");

        ErrorInfo info = Api.errorInfo(refusal);
        assertThat(info.getReason()).isEqualTo("PERMISSION_DENIED");
        assertThat(info.getDomain()).isEqualTo("atrest.dev");
        assertThat(info.getMetadataMap()).containsEntry("required_role", "ADMIN").containsEntry("project_id", theirs);
        assertNoProject(theirs);
    }

    @Test
    void configurationRpc_keyConsumer_permissionDenied() {
        String project = encryptedCluster("c1");
        Client consumer = Api.withNewToken(Role.KEY_CONSUMER, project);

        assertRefused(() -> consumer.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.NONE)),
                Status.Code.PERMISSION_DENIED, "needs the role ADMIN");

        assertThat(clusterState(project, "c1")).isEqualTo(ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_ENABLED);
    }

    @Test
    void registerSnapshot_administrator_permissionDeniedAndNothingRecorded() {
        String project = encryptedCluster("c1");

        assertRefused(() -> Api.withNewToken(Role.ADMIN).snapshots().registerSnapshot(RegisterSnapshotRequest.newBuilder()
                .setProjectId(project).setClusterName("c1").setSnapshotId("s1").build()),
                Status.Code.PERMISSION_DENIED, "needs the role KEY_CONSUMER");

        assertThat(Api.snapshots().listSnapshots(listSnapshots(project, "c1")).getSnapshotsList()).isEmpty();
    }

    @Test
    void getDatabaseKey_administrator_permissionDeniedAndNoKeyCreated() {
        String project = encryptedCluster("c1");
        Client admin = Api.withNewToken(Role.ADMIN, project);

        assertRefused(() -> admin.databaseKeys().getDatabaseKey(getKey(project, "c1", "orders")),
                Status.Code.PERMISSION_DENIED, "needs the role KEY_CONSUMER");

        assertThat(databaseKeyCount(project, "c1")).isZero();
    }

    @Test
    void getDatabaseKey_keyConsumerOfAnotherProject_permissionDeniedAndNoKeyCreated() {
        String project = encryptedCluster("c1");
        Client elsewhere = Api.withNewToken(Role.KEY_CONSUMER, Api.uniqueId("other"));

        assertRefused(() -> elsewhere.databaseKeys().getDatabaseKey(getKey(project, "c1", "orders")),
                Status.Code.PERMISSION_DENIED, "on project '" + project + "'");

        assertThat(databaseKeyCount(project, "c1")).isZero();
    }

    @Test
    void getDatabaseKey_keyConsumerOfTheProject_releasedAndAudited() {
        String project = encryptedCluster("c1");
        Client consumer = Api.withNewToken(Role.KEY_CONSUMER, project);
        String principal = consumer.access().whoAmI(WhoAmIRequest.getDefaultInstance()).getPrincipal();
        long before = auditedSoFar(Api.audit());

        assertThat(consumer.databaseKeys().getDatabaseKey(getKey(project, "c1", "orders")).getKey().size()).isEqualTo(32);

        assertThat(auditRecordsAfter(Api.audit(), before)).filteredOn(r -> r.getAction().endsWith("/GetDatabaseKey")).singleElement()
                .satisfies(r -> {
                    assertThat(r.getActor()).isEqualTo(principal);
                    assertThat(r.getResource()).isEqualTo("projects/" + project + "/clusters/c1/databases/orders");
                    assertThat(r.getOutcome()).isEqualTo("OK");
                });
    }

    @Test
    void dataPlaneRpc_keyConsumerOnItsProject_allowed() {
        String project = encryptedCluster("c1");
        Client consumer = Api.withNewToken(Role.KEY_CONSUMER, project);

        consumer.snapshots().registerSnapshot(RegisterSnapshotRequest.newBuilder()
                .setProjectId(project).setClusterName("c1").setSnapshotId("s1").build());

        assertThat(consumer.snapshots().listSnapshots(listSnapshots(project, "c1")).getSnapshotsCount()).isEqualTo(1);
    }

    @Test
    void configurationRpc_adminOfTheProject_allowedThereOnly() {
        String project = encryptedCluster("c1");
        Client admin = Api.withNewToken(Role.ADMIN, project);

        assertThat(admin.projects().getProjectEncryption(getProject(project)).getProjectId()).isEqualTo(project);
        assertThat(admin.snapshots().listSnapshots(listSnapshots(project, "c1")).getSnapshotsList()).isEmpty();
        assertRefused(() -> admin.access().createAccessToken(CreateAccessTokenRequest.newBuilder()
                .setName("escalate").setRole(Role.ADMIN).setAllProjects(true).build()),
                Status.Code.PERMISSION_DENIED, "on all projects");
    }

    @Test
    void health_noCredentials_serving() {
        assertThat(Api.health()).isEqualTo(ServingStatus.SERVING);
    }

    static StatusRuntimeException refused(ThrowingCallable call, Status.Code code, String reason) {
        return refused(Api::audit, call, code, reason);
    }

    /**
     * Asserts the call is refused with {@code code} and {@code reason}, and that the refusal is audited once
     * (read through {@code auditor}: an all-projects administrator's stub).
     */
    static StatusRuntimeException refused(Supplier<AuditServiceBlockingStub> auditor, ThrowingCallable call,
                                          Status.Code code, String reason) {
        long before = auditedSoFar(auditor.get());
        StatusRuntimeException[] caught = new StatusRuntimeException[1];
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(reason);
            caught[0] = e;
        });
        // Calls made inside `call` to set it up (creating a token) are audited too, with outcome OK.
        assertThat(auditRecordsAfter(auditor.get(), before)).filteredOn(r -> r.getOutcome().equals(code.name()))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.getAction()).startsWith("atrest.v1.");
                    assertThat(r.getDetail()).contains(reason);
                    assertThat(r.getActor()).isNotBlank();
                    if (code == Status.Code.UNAUTHENTICATED) {
                        assertThat(r.getActor()).isEqualTo("anonymous");
                    } else {
                        assertThat(r.getActor()).matches("(token|certificate):.+");
                    }
                });
        return caught[0];
    }

    /**
     * The sequence of the last record, once everything queued is written (sequences have no gaps): the records
     * verified count from the retention checkpoint on, which a shared database's earlier tests may have moved.
     */
    static long auditedSoFar(AuditServiceBlockingStub auditor) {
        VerifyAuditLogResponse verdict = auditor.verifyAuditLog(VerifyAuditLogRequest.getDefaultInstance());
        assertThat(verdict.getIntact()).as(verdict.getProblem()).isTrue();
        return verdict.getCheckpointSequence() + verdict.getRecordsVerified();
    }

    /** Every record written after sequence {@code after}. */
    static List<AuditRecord> auditRecordsAfter(AuditServiceBlockingStub auditor, long after) {
        auditedSoFar(auditor);
        List<AuditRecord> records = new ArrayList<>();
        long next = after;
        do {
            ListAuditRecordsResponse page = auditor.listAuditRecords(ListAuditRecordsRequest.newBuilder()
                    .setAfterSequence(next).setPageSize(1000).build());
            records.addAll(page.getRecordsList());
            next = page.getNextAfterSequence();
        } while (next != 0);
        return records;
    }

    static void assertRefused(ThrowingCallable call, Status.Code code, String reason) {
        refused(call, code, reason);
    }

    static void assertRefused(Supplier<AuditServiceBlockingStub> auditor, ThrowingCallable call, Status.Code code,
                              String reason) {
        refused(auditor, call, code, reason);
    }

    static String encryptedCluster(String cluster) {
        String project = Api.uniqueId("p");
        Api.projects().updateProjectEncryption(enableLocal(project));
        Api.clusters().setClusterEncryption(setCluster(project, cluster, EncryptionAtRestProvider.LOCAL));
        return project;
    }

    private static ClusterEncryptionState clusterState(String project, String cluster) {
        return Api.clusters().getClusterEncryption(GetClusterEncryptionRequest.newBuilder()
                .setProjectId(project).setClusterName(cluster).build()).getState();
    }

    private static void assertNoProject(String project) {
        assertThatThrownBy(() -> Api.projects().getProjectEncryption(getProject(project)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    private static int databaseKeyCount(String project, String cluster) {
        return Api.clusters().listClusterKeys(ListClusterKeysRequest.newBuilder().setProjectId(project)
                .setClusterName(cluster).build()).getDatabaseKeysCount();
    }

    private static GetDatabaseKeyRequest getKey(String project, String cluster, String database) {
        return GetDatabaseKeyRequest.newBuilder().setProjectId(project).setClusterName(cluster)
                .setDatabaseName(database).build();
    }

    private static GetProjectEncryptionRequest getProject(String project) {
        return GetProjectEncryptionRequest.newBuilder().setProjectId(project).build();
    }

    private static ListSnapshotsRequest listSnapshots(String project, String cluster) {
        return ListSnapshotsRequest.newBuilder().setProjectId(project).setClusterName(cluster).build();
    }
}
