package dev.atrest.keyservice.audit;

import static dev.atrest.keyservice.support.Requests.enableAws;
import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.atrest.keyservice.datakey.DatabaseKeys;
import dev.atrest.keyservice.datakey.ReleasedDatabaseKey;
import dev.atrest.keyservice.domain.Caller;
import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.Moto;
import dev.atrest.testsupport.Awaits;
import dev.atrest.v1.AuditRecord;
import dev.atrest.v1.AwsKmsConfig;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ListAuditRecordsRequest;
import dev.atrest.v1.ListAuditRecordsResponse;
import dev.atrest.v1.RotateMasterKeyRequest;
import dev.atrest.v1.ValidateProjectEncryptionRequest;
import dev.atrest.v1.VerifyAuditLogRequest;
import dev.atrest.v1.WhoAmIRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/** What the audit log holds after real calls: who, what, which resource, the outcome; and never a secret. */
@QuarkusTest
class AuditedRpcsTest {
    private static final String PROJECT_ENCRYPTION = "atrest.v1.ProjectEncryptionService/";
    private static final String CLUSTER_ENCRYPTION = "atrest.v1.ClusterEncryptionService/";
    /** Distinctive enough that finding it anywhere it must not be is unambiguous. */
    private static final String SECRET = "Kx7AuditLeakSecretAccessKey/MustNeverBeRecorded+0042";

    @Inject
    DatabaseKeys databaseKeys;

    @Inject
    DataSource dataSource;

    @Test
    void auditedCalls_projectClusterRotation_recordedWithActorActionResourceOutcome() throws Exception {
        String project = Api.uniqueId("audited");
        String cluster = "projects/" + project + "/clusters/c1";

        Api.projects().updateProjectEncryption(enableLocal(project));
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));
        Api.projects().getProjectEncryption(GetProjectEncryptionRequest.newBuilder().setProjectId(project).build());
        Api.clusters().rotateMasterKey(RotateMasterKeyRequest.newBuilder().setProjectId(project).setClusterName("c1")
                .build());
        Awaits.rotationFinished(Api::clusters, project, "c1");
        assertThatThrownBy(() -> Api.clusters().setClusterEncryption(setCluster(project, "bad name",
                EncryptionAtRestProvider.LOCAL))).isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));

        // The service records rotation.completed right after the rotation's last step commits, and that commit is
        // what GetRotationStatus reports: wait for the record itself, not only for the status.
        List<AuditRecord> records = Awaits.until("rotation.completed recorded for " + cluster, Awaits.ROTATION_LIMIT,
                () -> recordsOf(project),
                found -> found.stream().anyMatch(r -> r.getAction().equals("rotation.completed")));

        assertThat(records).extracting(AuditRecord::getAction, AuditRecord::getResource, AuditRecord::getOutcome)
                .containsSubsequence(
                        tuple(PROJECT_ENCRYPTION + "UpdateProjectEncryption", "projects/" + project, "OK"),
                        tuple(CLUSTER_ENCRYPTION + "SetClusterEncryption", cluster, "OK"),
                        tuple("rotation.started", cluster, "OK"),
                        tuple(CLUSTER_ENCRYPTION + "RotateMasterKey", cluster, "OK"),
                        tuple(CLUSTER_ENCRYPTION + "SetClusterEncryption", "projects/" + project + "/clusters/bad name",
                                "INVALID_ARGUMENT"))
                .contains(tuple("rotation.completed", cluster, "OK"))
                .extracting(r -> r.toList().get(0))
                .doesNotContain(PROJECT_ENCRYPTION + "GetProjectEncryption");
        List<AuditRecord> calls = records.stream().filter(r -> r.getAction().startsWith("atrest.v1.")).toList();
        // Every call came from the test's administrator token.
        String admin = Api.access().whoAmI(WhoAmIRequest.getDefaultInstance()).getPrincipal();
        assertThat(calls).extracting(AuditRecord::getActor).containsOnly(admin);
        assertThat(records).filteredOn(r -> r.getAction().startsWith("rotation."))
                .extracting(AuditRecord::getActor).containsOnly(Caller.SERVICE);
        assertThat(records).filteredOn(r -> r.getOutcome().equals("INVALID_ARGUMENT")).singleElement()
                .satisfies(r -> assertThat(r.getDetail()).isNotEmpty());
        assertThat(records).allSatisfy(r -> assertThat(r.hasTime()).isTrue());
        assertThat(records).extracting(AuditRecord::getSequence).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void validateProjectEncryption_recordsTheCallAndTheCheckResult() {
        String project = Api.uniqueId("audited");
        Api.projects().updateProjectEncryption(enableLocal(project));

        Api.projects().validateProjectEncryption(ValidateProjectEncryptionRequest.newBuilder()
                .setProjectId(project).build());

        assertThat(recordsOf(project)).extracting(AuditRecord::getActor, AuditRecord::getAction, AuditRecord::getOutcome)
                .contains(tuple(Caller.SERVICE, "cmk.check", "VALID"))
                .extracting(t -> t.toList().get(1))
                .contains(PROJECT_ENCRYPTION + "ValidateProjectEncryption");
    }

    @Test
    void listAuditRecords_pages_eachRecordOnceInOrder() {
        String project = Api.uniqueId("audited");
        Api.projects().updateProjectEncryption(enableLocal(project));
        for (String name : List.of("c1", "c2", "c3", "c4")) {
            Api.clusters().setClusterEncryption(setCluster(project, name, EncryptionAtRestProvider.LOCAL));
        }
        Api.audit().verifyAuditLog(VerifyAuditLogRequest.getDefaultInstance());

        List<AuditRecord> seen = new ArrayList<>();
        long after = 0;
        int pages = 0;
        do {
            ListAuditRecordsResponse page = Api.audit().listAuditRecords(ListAuditRecordsRequest.newBuilder()
                    .setProjectId(project).setAfterSequence(after).setPageSize(2).build());
            seen.addAll(page.getRecordsList());
            after = page.getNextAfterSequence();
            pages++;
        } while (after != 0);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(5).extracting(AuditRecord::getSequence).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void listAuditRecords_badInput_invalidArgumentNamingEachField() {
        assertThatThrownBy(() -> Api.audit().listAuditRecords(ListAuditRecordsRequest.newBuilder()
                .setAfterSequence(-1).setProjectId("no spaces").setPageSize(1001).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(Api.violatedFields(e)).containsExactlyInAnyOrder("after_sequence", "project_id",
                            "page_size");
                });
    }

    @Test
    void auditLog_afterCallsWithASecretAndKeyReleases_holdsNeitherSecretNorKeyBytes() throws Exception {
        String project = Api.uniqueId("leak");
        AwsKmsConfig.Builder aws = AwsKmsConfig.newBuilder().setCustomerMasterKeyId(createKey())
                .setRegion(Moto.REGION).setAccessKeyId("AKIAATRESTAUDIT00001").setSecretAccessKey(SECRET);
        Api.projects().updateProjectEncryption(enableAws(project, aws));
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.AWS));
        Api.projects().validateProjectEncryption(ValidateProjectEncryptionRequest.newBuilder()
                .setProjectId(project).build());
        byte[] key;
        try (ReleasedDatabaseKey released = databaseKeys.getOrCreate(project, "c1", "orders")) {
            key = released.key().copyBytes();
        }
        Api.clusters().rotateMasterKey(RotateMasterKeyRequest.newBuilder().setProjectId(project).setClusterName("c1")
                .build());
        Awaits.rotationFinished(Api::clusters, project, "c1");
        assertThat(recordsOf(project)).hasSizeGreaterThanOrEqualTo(5);

        String everything = allStoredText();

        assertThat(everything).contains(project)
                .doesNotContain(SECRET)
                .doesNotContainIgnoringCase(HexFormat.of().formatHex(key))
                .doesNotContain(Base64.getEncoder().encodeToString(key))
                .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(key));
    }

    /** The project's records, after writing everything queued. */
    private static List<AuditRecord> recordsOf(String project) {
        Api.audit().verifyAuditLog(VerifyAuditLogRequest.getDefaultInstance());
        return Api.audit().listAuditRecords(ListAuditRecordsRequest.newBuilder().setProjectId(project)
                .setPageSize(1000).build()).getRecordsList();
    }

    /** Every text column of every audit row, as stored. */
    private String allStoredText() throws Exception {
        StringBuilder text = new StringBuilder();
        try (Connection c = dataSource.getConnection(); Statement select = c.createStatement();
             ResultSet rows = select.executeQuery("SELECT actor, action, resource, outcome, detail FROM audit_record")) {
            while (rows.next()) {
                for (int column = 1; column <= 5; column++) {
                    text.append(rows.getString(column)).append('\n');
                }
            }
        }
        return text.toString();
    }

    private static String createKey() {
        try (KmsClient kms = Moto.adminClient()) {
            return kms.createKey(r -> r.description("atrest audit").keyUsage(KeyUsageType.ENCRYPT_DECRYPT))
                    .keyMetadata().arn();
        }
    }
}
