package dev.atrest.keyservice.project;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.keys;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.Requests;
import dev.atrest.v1.DisableProjectEncryptionRequest;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ListClusterKeysRequest;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.UpdateProjectEncryptionRequest;
import dev.atrest.v1.ValidateProjectEncryptionRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProjectEncryptionGrpcTest {

    @Test
    void update_localProvider_enablesAndReadsBack() {
        String project = Api.uniqueId("p");
        ProjectEncryption enabled = Api.projects().updateProjectEncryption(enableLocal(project));

        assertThat(enabled.getProvider()).isEqualTo(EncryptionAtRestProvider.LOCAL);
        assertThat(enabled.getLocalKey().getEnabled()).isTrue();
        assertThat(enabled.getValid()).isTrue();
        assertThat(enabled.hasCmkLastChangedTime()).isTrue();
        assertThat(Api.projects().getProjectEncryption(get(project))).isEqualTo(enabled);
    }

    @Test
    void update_sameRequestTwice_sameResultAndNoNewKeys() {
        String project = Api.uniqueId("p");
        ProjectEncryption first = Api.projects().updateProjectEncryption(enableLocal(project));
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));

        ProjectEncryption second = Api.projects().updateProjectEncryption(enableLocal(project));

        assertThat(second).isEqualTo(first);
        assertThat(Api.clusters().listClusterKeys(keys(project, "c1")).getMasterKeyVersionsCount()).isEqualTo(1);
    }

    @Test
    void update_staleEtag_abortedAndNothingChanged() {
        String project = Api.uniqueId("p");
        ProjectEncryption first = Api.projects().updateProjectEncryption(enableLocal(project));
        Api.projects().updateProjectEncryption(enableLocal(project, "second-key"));

        UpdateProjectEncryptionRequest stale = enableLocal(project, "third-key").toBuilder().setEtag(first.getEtag()).build();

        assertThatThrownBy(() -> Api.projects().updateProjectEncryption(stale))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
        assertThat(Api.projects().getProjectEncryption(get(project)).getLocalKey().getKeyId()).isEqualTo("second-key");
    }

    @Test
    void update_currentEtag_applies() {
        String project = Api.uniqueId("p");
        ProjectEncryption first = Api.projects().updateProjectEncryption(enableLocal(project));

        ProjectEncryption second = Api.projects().updateProjectEncryption(
                enableLocal(project, "next").toBuilder().setEtag(first.getEtag()).build());

        assertThat(second.getLocalKey().getKeyId()).isEqualTo("next");
        assertThat(second.getEtag()).isNotEqualTo(first.getEtag());
    }

    @Test
    void update_newLocalKey_rewrapsMasterKeysUnderIt() {
        String project = Api.uniqueId("p");
        Api.projects().updateProjectEncryption(enableLocal(project, "old-root"));
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));

        Api.projects().updateProjectEncryption(enableLocal(project, "new-root"));

        var keys = Api.clusters().listClusterKeys(keys(project, "c1"));
        assertThat(keys.getMasterKeyVersionsList()).singleElement()
                .satisfies(key -> assertThat(key.getWrappingKeyId()).isEqualTo("local:new-root"));
    }

    @Test
    void disable_withEncryptedClusters_refusedNamingThem() {
        String project = Api.uniqueId("p");
        Api.projects().updateProjectEncryption(enableLocal(project));
        Api.clusters().setClusterEncryption(setCluster(project, "alpha", EncryptionAtRestProvider.LOCAL));
        Api.clusters().setClusterEncryption(setCluster(project, "beta", EncryptionAtRestProvider.LOCAL));

        assertThatThrownBy(() -> Api.projects().disableProjectEncryption(disable(project)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(Api.errorInfo(e).getReason()).isEqualTo("CANNOT_DISABLE_ENCRYPTION_AT_REST");
                    assertThat(Api.errorInfo(e).getMetadataMap()).containsEntry("clusters", "alpha,beta");
                    assertThat(e.getStatus().getDescription()).contains("alpha", "beta");
                });
        assertThat(Api.projects().getProjectEncryption(get(project)).getProvider()).isEqualTo(EncryptionAtRestProvider.LOCAL);
    }

    @Test
    void disable_afterClustersDisabled_keepsConfigurationForRetainedKeys() {
        String project = Api.uniqueId("p");
        Api.projects().updateProjectEncryption(enableLocal(project, "kept"));
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.NONE));

        ProjectEncryption disabled = Api.projects().disableProjectEncryption(disable(project));

        assertThat(disabled.getProvider()).isEqualTo(EncryptionAtRestProvider.NONE);
        assertThat(disabled.getLocalKey().getEnabled()).isFalse();
        assertThat(disabled.getLocalKey().getKeyId()).isEqualTo("kept");
        assertThat(Api.projects().disableProjectEncryption(disable(project))).isEqualTo(disabled);
    }

    @Test
    void update_changeProviderUnderEncryptedCluster_refused() {
        String project = Api.uniqueId("p");
        Api.projects().updateProjectEncryption(enableLocal(project));
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));
        var toAws = dev.atrest.keyservice.support.Requests.enableAws(project, dev.atrest.v1.AwsKmsConfig.newBuilder()
                .setCustomerMasterKeyId("11111111-2222-3333-4444-555555555555").setRegion("us-east-1"));

        assertThatThrownBy(() -> Api.projects().updateProjectEncryption(toAws))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(Api.errorInfo(e).getReason()).isEqualTo("CANNOT_CHANGE_ENCRYPTION_AT_REST_PROVIDER"));
    }

    @Test
    void get_unknownProject_notFound() {
        assertThatThrownBy(() -> Api.projects().getProjectEncryption(get(Api.uniqueId("never"))))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void validate_localKey_recordsValidWithoutChangingTheEtag() {
        String project = Api.uniqueId("p");
        ProjectEncryption enabled = Api.projects().updateProjectEncryption(enableLocal(project));

        ProjectEncryption validated = Api.projects().validateProjectEncryption(
                ValidateProjectEncryptionRequest.newBuilder().setProjectId(project).build());

        assertThat(validated.getValid()).isTrue();
        assertThat(validated.getValidationError()).isEmpty();
        assertThat(validated.getLastValidatedTime()).isNotEqualTo(enabled.getLastValidatedTime());
        // A health check is not a configuration change: an update conditional on the old etag still applies.
        assertThat(validated.getEtag()).isEqualTo(enabled.getEtag());
        assertThat(Api.projects().updateProjectEncryption(
                enableLocal(project, "after-validate").toBuilder().setEtag(enabled.getEtag()).build())
                .getLocalKey().getKeyId()).isEqualTo("after-validate");
    }

    static GetProjectEncryptionRequest get(String project) {
        return GetProjectEncryptionRequest.newBuilder().setProjectId(project).build();
    }

    static DisableProjectEncryptionRequest disable(String project) {
        return DisableProjectEncryptionRequest.newBuilder().setProjectId(project).build();
    }
}
