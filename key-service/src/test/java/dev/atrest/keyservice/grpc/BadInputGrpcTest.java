package dev.atrest.keyservice.grpc;

import static dev.atrest.keyservice.support.Requests.enableAws;
import static dev.atrest.keyservice.support.Requests.enableLocal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.support.Api;
import dev.atrest.v1.AwsKmsConfig;
import dev.atrest.v1.DisableProjectEncryptionRequest;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetClusterEncryptionRequest;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ListClusterEncryptionsRequest;
import dev.atrest.v1.ListClusterKeysRequest;
import dev.atrest.v1.LocalKeyConfig;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.SetClusterEncryptionRequest;
import dev.atrest.v1.UpdateProjectEncryptionRequest;
import dev.atrest.v1.ValidateProjectEncryptionRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every RPC, fed bad input: INVALID_ARGUMENT naming the field, nothing stored, service still healthy. */
@QuarkusTest
class BadInputGrpcTest {
    private static final String HUGE = "a".repeat(10_000);
    private static final String NON_ASCII = "projet-\u00e9t\u00e9-\u65e5\u672c";
    private static final String KEY_ID = "11111111-2222-3333-4444-555555555555";
    private static final String P = "project_encryption.";

    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad("get empty id", "project_id", () -> Api.projects().getProjectEncryption(GetProjectEncryptionRequest.getDefaultInstance())),
                bad("get 10k id", "project_id", () -> Api.projects().getProjectEncryption(GetProjectEncryptionRequest.newBuilder().setProjectId(HUGE).build())),
                bad("get non-ascii id", "project_id", () -> Api.projects().getProjectEncryption(GetProjectEncryptionRequest.newBuilder().setProjectId(NON_ASCII).build())),
                bad("disable empty id", "project_id", () -> Api.projects().disableProjectEncryption(DisableProjectEncryptionRequest.getDefaultInstance())),
                bad("validate 10k id", "project_id", () -> Api.projects().validateProjectEncryption(ValidateProjectEncryptionRequest.newBuilder().setProjectId(HUGE).build())),
                bad("update empty", P + "project_id", () -> Api.projects().updateProjectEncryption(UpdateProjectEncryptionRequest.getDefaultInstance())),
                bad("update non-ascii id", P + "project_id", () -> Api.projects().updateProjectEncryption(enableLocal(NON_ASCII))),
                bad("update both providers", P + "local_key.enabled", () -> Api.projects().updateProjectEncryption(
                        UpdateProjectEncryptionRequest.newBuilder().setProjectEncryption(ProjectEncryption.newBuilder()
                                .setProjectId(fresh()).setLocalKey(LocalKeyConfig.newBuilder().setEnabled(true))
                                .setAwsKms(AwsKmsConfig.newBuilder().setEnabled(true).setCustomerMasterKeyId(KEY_ID).setRegion("us-east-1"))).build())),
                bad("aws missing key id", P + "aws_kms.customer_master_key_id", () -> aws(AwsKmsConfig.newBuilder().setRegion("us-east-1"))),
                bad("aws missing region", P + "aws_kms.region", () -> aws(AwsKmsConfig.newBuilder().setCustomerMasterKeyId(KEY_ID))),
                bad("aws unknown region", P + "aws_kms.region", () -> aws(key().setRegion("mars-north-1"))),
                bad("aws malformed key ARN", P + "aws_kms.customer_master_key_id", () -> aws(AwsKmsConfig.newBuilder().setRegion("us-east-1").setCustomerMasterKeyId("arn:aws:kms:us-east-1:12:key/nope"))),
                bad("aws ARN in other region", P + "aws_kms.customer_master_key_id", () -> aws(AwsKmsConfig.newBuilder().setRegion("eu-west-1")
                        .setCustomerMasterKeyId("arn:aws:kms:us-east-1:123456789012:key/" + KEY_ID))),
                bad("aws 10k key id", P + "aws_kms.customer_master_key_id", () -> aws(AwsKmsConfig.newBuilder().setRegion("us-east-1").setCustomerMasterKeyId(HUGE))),
                bad("aws malformed role ARN", P + "aws_kms.role_arn", () -> aws(key().setRoleArn("arn:aws:iam::1:role/"))),
                bad("aws role and static keys", P + "aws_kms.role_arn", () -> aws(key().setRoleArn("arn:aws:iam::123456789012:role/r")
                        .setAccessKeyId("AKIAIOSFODNN7EXAMPLE").setSecretAccessKey("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))),
                bad("aws external id without role", P + "aws_kms.external_id", () -> aws(key().setExternalId("ext-123"))),
                bad("aws access key without secret", P + "aws_kms.secret_access_key", () -> aws(key().setAccessKeyId("AKIAIOSFODNN7EXAMPLE"))),
                bad("aws secret without access key", P + "aws_kms.secret_access_key", () -> aws(key().setSecretAccessKey("s3cr3t-value"))),
                bad("aws non-ascii secret", P + "aws_kms.secret_access_key", () -> aws(key().setAccessKeyId("AKIAIOSFODNN7EXAMPLE").setSecretAccessKey(NON_ASCII))),
                bad("local bad key id", P + "local_key.key_id", () -> Api.projects().updateProjectEncryption(enableLocal(fresh(), "../../etc/passwd"))),
                bad("cluster get empty name", "cluster_name", () -> Api.clusters().getClusterEncryption(GetClusterEncryptionRequest.newBuilder().setProjectId(fresh()).build())),
                bad("cluster set no provider", "encryption_at_rest_provider", () -> Api.clusters().setClusterEncryption(
                        SetClusterEncryptionRequest.newBuilder().setProjectId(fresh()).setClusterName("c1").build())),
                bad("cluster set unknown provider", "encryption_at_rest_provider", () -> Api.clusters().setClusterEncryption(
                        SetClusterEncryptionRequest.newBuilder().setProjectId(fresh()).setClusterName("c1").setEncryptionAtRestProviderValue(42).build())),
                bad("cluster set 10k name", "cluster_name", () -> Api.clusters().setClusterEncryption(
                        SetClusterEncryptionRequest.newBuilder().setProjectId(fresh()).setClusterName(HUGE).setEncryptionAtRestProvider(EncryptionAtRestProvider.LOCAL).build())),
                bad("cluster list bad page size", "page_size", () -> Api.clusters().listClusterEncryptions(
                        ListClusterEncryptionsRequest.newBuilder().setProjectId(fresh()).setPageSize(100_000).build())),
                bad("cluster list forged token", "page_token", () -> Api.clusters().listClusterEncryptions(
                        ListClusterEncryptionsRequest.newBuilder().setProjectId(fresh()).setPageToken("%%%not-a-token").build())),
                bad("cluster keys non-ascii", "cluster_name", () -> Api.clusters().listClusterKeys(
                        ListClusterKeysRequest.newBuilder().setProjectId(fresh()).setClusterName(NON_ASCII).build())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void rpc_badInput_invalidArgumentNamingTheFieldAndNothingStored(String name, String field, Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(Api.violatedFields(e)).contains(field);
            assertThat(e.getStatus().getDescription()).contains(field).doesNotContain(HUGE);
        });
        assertThatThrownBy(() -> Api.projects().getProjectEncryption(
                GetProjectEncryptionRequest.newBuilder().setProjectId(lastFresh).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @AfterAll
    static void serviceStillHealthy() {
        assertThat(Api.health()).isEqualTo(ServingStatus.SERVING);
    }

    private static String lastFresh = "never-used";

    /** A new, valid project id; after each case the test checks nothing was stored under it. */
    private static String fresh() {
        lastFresh = Api.uniqueId("bad");
        return lastFresh;
    }

    private static AwsKmsConfig.Builder key() {
        return AwsKmsConfig.newBuilder().setCustomerMasterKeyId(KEY_ID).setRegion("us-east-1");
    }

    private static void aws(AwsKmsConfig.Builder aws) {
        Api.projects().updateProjectEncryption(enableAws(fresh(), aws));
    }

    private static Arguments bad(String name, String field, Runnable call) {
        return Arguments.of(name, field, call);
    }
}
