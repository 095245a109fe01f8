package dev.atrest.keyservice.e2e;

import static dev.atrest.keyservice.support.Requests.enableAws;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.datakey.DatabaseKeys;
import dev.atrest.keyservice.store.ProjectEncryptionRepository;
import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.Moto;
import dev.atrest.v1.AwsKmsConfig;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ListClusterKeysRequest;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.ValidateProjectEncryptionRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/** The service against a real KMS emulator (moto's server): validation, wrapping, CMK change, secrets. */
@QuarkusTest
class AwsKmsEndToEndTest {
    /** Distinctive enough that finding it anywhere it must not be is unambiguous. */
    static final String SECRET = "Zq9SecretAccessKey/e2eMustNeverLeak+4711";
    private static final String ACCESS_KEY_ID = "AKIAATRESTE2ETEST001";

    @Inject
    DatabaseKeys databaseKeys;

    @Inject
    ProjectEncryptionRepository projectRows;

    @Test
    void update_validCmkByKeyArn_validAndClusterMasterKeyWrappedByIt() {
        String keyArn = createKey();
        String project = Api.uniqueId("aws");

        ProjectEncryption enabled = Api.projects().updateProjectEncryption(enableAws(project, cmk(keyArn)));
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.AWS));

        assertThat(enabled.getValid()).isTrue();
        assertThat(enabled.getProvider()).isEqualTo(EncryptionAtRestProvider.AWS);
        assertThat(keys(project, "c1").getMasterKeyVersionsList()).singleElement()
                .satisfies(key -> assertThat(key.getWrappingKeyId()).isEqualTo(keyArn));
        databaseKeys.getOrCreate(project, "c1", "orders").close();
    }

    @Test
    void update_disabledCmk_refusedWithKmsReasonAndNothingStored() {
        String keyArn = createKey();
        try (KmsClient kms = Moto.adminClient()) {
            kms.disableKey(r -> r.keyId(keyIdOf(keyArn)));
        }
        String project = Api.uniqueId("aws");

        assertThatThrownBy(() -> Api.projects().updateProjectEncryption(enableAws(project, cmk(keyArn))))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(Api.errorInfo(e).getReason()).isEqualTo("ENCRYPTION_AT_REST_SETTINGS_INVALID");
                    assertThat(Api.errorInfo(e).getMetadataMap().get("kms_reason")).containsIgnoringCase("disabled");
                });
        assertNothingStored(project);
    }

    @Test
    void update_unknownCmk_refusedAsNotFound() {
        String project = Api.uniqueId("aws");
        String missing = "arn:aws:kms:us-east-1:" + Moto.ACCOUNT + ":key/00000000-0000-0000-0000-000000000000";

        assertThatThrownBy(() -> Api.projects().updateProjectEncryption(enableAws(project, cmk(missing))))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(Api.errorInfo(e).getReason()).isEqualTo("ENCRYPTION_AT_REST_SETTINGS_INVALID");
                    assertThat(Api.errorInfo(e).getMetadataMap().get("kms_reason")).contains("NotFound");
                });
        assertNothingStored(project);
    }

    @Test
    void update_asymmetricCmk_refusedForKeySpec() {
        String keyArn;
        try (KmsClient kms = Moto.adminClient()) {
            keyArn = kms.createKey(r -> r.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.SIGN_VERIFY)).keyMetadata().arn();
        }
        String project = Api.uniqueId("aws");

        assertThatThrownBy(() -> Api.projects().updateProjectEncryption(enableAws(project, cmk(keyArn))))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(Api.errorInfo(e).getMetadataMap().get("kms_reason")).contains("SYMMETRIC_DEFAULT"));
        assertNothingStored(project);
    }

    @Test
    void update_aliasArn_validAndMasterKeyNamesTheUnderlyingKey() {
        String keyArn = createKey();
        String alias = "alias/atrest-" + Api.uniqueId("e2e");
        try (KmsClient kms = Moto.adminClient()) {
            kms.createAlias(r -> r.aliasName(alias).targetKeyId(keyArn));
        }
        String project = Api.uniqueId("aws");
        String aliasArn = "arn:aws:kms:us-east-1:" + Moto.ACCOUNT + ":" + alias;

        ProjectEncryption enabled = Api.projects().updateProjectEncryption(enableAws(project, cmk(aliasArn)));
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.AWS));

        assertThat(enabled.getAwsKms().getCustomerMasterKeyId()).isEqualTo(aliasArn);
        assertThat(keys(project, "c1").getMasterKeyVersions(0).getWrappingKeyId()).isEqualTo(keyArn);
    }

    @Test
    void update_roleArn_assumesTheRoleThroughSts() {
        String keyArn = createKey();
        String project = Api.uniqueId("aws");
        String role = "arn:aws:iam::" + Moto.ACCOUNT + ":role/atrest-" + project;
        MotoRecorder.start();

        ProjectEncryption enabled = Api.projects().updateProjectEncryption(enableAws(project,
                AwsKmsConfig.newBuilder().setCustomerMasterKeyId(keyArn).setRegion(Moto.REGION)
                        .setRoleArn(role).setExternalId("ext-" + project)));

        assertThat(enabled.getValid()).isTrue();
        assertThat(enabled.getAwsKms().getRoleArn()).isEqualTo(role);
        String calls = MotoRecorder.stopAndRead();
        assertThat(calls).contains("Action=AssumeRole", "RoleArn=" + role.replace(":", "%3A").replace("/", "%2F"),
                "ExternalId=ext-" + project);
        // KMS was then called with the role's temporary credentials, not the service's own.
        assertThat(calls).contains("Credential=ASIA");
        assertThat(calls.lines().filter(line -> line.contains("TrentService")))
                .isNotEmpty().allSatisfy(line -> assertThat(line).doesNotContain("Credential=AKIAIOSFODNN7EXAMPLE"));
    }

    @Test
    void update_newCmk_rewrapsMasterKeysAndOldCmkIsNoLongerNeeded() {
        String oldKey = createKey();
        String newKey = createKey();
        String project = Api.uniqueId("aws");
        Api.projects().updateProjectEncryption(enableAws(project, cmk(oldKey)));
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.AWS));
        byte[] before = databaseKeyBytes(project);

        ProjectEncryption changed = Api.projects().updateProjectEncryption(enableAws(project, cmk(newKey)));
        try (KmsClient kms = Moto.adminClient()) {
            kms.disableKey(r -> r.keyId(keyIdOf(oldKey)));
        }

        assertThat(changed.getAwsKms().getCustomerMasterKeyId()).isEqualTo(newKey);
        assertThat(keys(project, "c1").getMasterKeyVersions(0).getWrappingKeyId()).isEqualTo(newKey);
        assertThat(databaseKeyBytes(project)).isEqualTo(before);
    }

    @Test
    void validate_cmkDisabledAfterEnable_recordsInvalidWithReason() {
        String keyArn = createKey();
        String project = Api.uniqueId("aws");
        Api.projects().updateProjectEncryption(enableAws(project, cmk(keyArn)));
        try (KmsClient kms = Moto.adminClient()) {
            kms.disableKey(r -> r.keyId(keyIdOf(keyArn)));
        }

        ProjectEncryption validated = Api.projects().validateProjectEncryption(
                ValidateProjectEncryptionRequest.newBuilder().setProjectId(project).build());

        assertThat(validated.getValid()).isFalse();
        assertThat(validated.getValidationError()).containsIgnoringCase("disabled");
    }

    @Test
    void staticKeys_secretNeverInAResponseOrTheDatabase() {
        String keyArn = createKey();
        String project = Api.uniqueId("aws");

        ProjectEncryption enabled = Api.projects().updateProjectEncryption(enableAws(project, staticKeys(keyArn)));
        ProjectEncryption read = Api.projects().getProjectEncryption(get(project));
        ProjectEncryption validated = Api.projects().validateProjectEncryption(
                ValidateProjectEncryptionRequest.newBuilder().setProjectId(project).build());
        // The same access key id without the secret keeps the stored secret (write-only field).
        ProjectEncryption again = Api.projects().updateProjectEncryption(enableAws(project,
                cmk(keyArn).setAccessKeyId(ACCESS_KEY_ID)));

        assertThat(validated.getValid()).isTrue();
        for (ProjectEncryption response : new ProjectEncryption[] {enabled, read, validated, again}) {
            assertThat(response.getAwsKms().getAccessKeyId()).isEqualTo(ACCESS_KEY_ID);
            assertThat(response.getAwsKms().getSecretAccessKey()).isEmpty();
            assertThat(response.toString()).doesNotContain(SECRET);
        }
        byte[] sealed = QuarkusTransaction.requiringNew().call(
                () -> projectRows.findByProjectId(project).orElseThrow().rootKey.awsSecretSealed);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
    }

    /** Runs after every test of this class has sent the secret through the service. */
    @AfterAll
    static void secretNeverInTheLog() throws Exception {
        Path log = Path.of("target", "test-logs", "key-service.log");
        assertThat(log).exists();
        assertThat(Files.readString(log)).isNotEmpty().doesNotContain(SECRET);
    }

    private byte[] databaseKeyBytes(String project) {
        try (var key = databaseKeys.getOrCreate(project, "c1", "orders")) {
            return key.key().copyBytes();
        }
    }

    private static void assertNothingStored(String project) {
        assertThatThrownBy(() -> Api.projects().getProjectEncryption(get(project)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    /** moto's DisableKey wants the bare key id. */
    private static String keyIdOf(String keyArn) {
        return keyArn.substring(keyArn.lastIndexOf('/') + 1);
    }

    static String createKey() {
        try (KmsClient kms = Moto.adminClient()) {
            return kms.createKey(r -> r.description("atrest e2e").keyUsage(KeyUsageType.ENCRYPT_DECRYPT)).keyMetadata().arn();
        }
    }

    static AwsKmsConfig.Builder cmk(String keyId) {
        return AwsKmsConfig.newBuilder().setCustomerMasterKeyId(keyId).setRegion(Moto.REGION);
    }

    static AwsKmsConfig.Builder staticKeys(String keyId) {
        return cmk(keyId).setAccessKeyId(ACCESS_KEY_ID).setSecretAccessKey(SECRET);
    }

    private static GetProjectEncryptionRequest get(String project) {
        return GetProjectEncryptionRequest.newBuilder().setProjectId(project).build();
    }

    private static dev.atrest.v1.ListClusterKeysResponse keys(String project, String cluster) {
        return Api.clusters().listClusterKeys(
                ListClusterKeysRequest.newBuilder().setProjectId(project).setClusterName(cluster).build());
    }
}
