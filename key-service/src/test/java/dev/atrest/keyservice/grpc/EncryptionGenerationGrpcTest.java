package dev.atrest.keyservice.grpc;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.support.Api;
import dev.atrest.v1.ClusterEncryption;
import dev.atrest.v1.DisableProjectEncryptionRequest;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetClusterEncryptionRequest;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.RotateMasterKeyRequest;
import dev.atrest.v1.SetClusterEncryptionRequest;
import dev.atrest.v1.UpdateProjectEncryptionRequest;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The incarnation counter clients (the Terraform provider) use to tell the encryption they switched on from
 * a later one: it moves only when encryption goes from off to on, and it survives every change in place.
 */
@QuarkusTest
class EncryptionGenerationGrpcTest {

    @Test
    void project_enableDisableEnable_generationOneThenTwo() {
        String project = Api.uniqueId("p");

        ProjectEncryption first = Api.projects().updateProjectEncryption(enableLocal(project));
        ProjectEncryption disabled = Api.projects().disableProjectEncryption(
                DisableProjectEncryptionRequest.newBuilder().setProjectId(project).build());
        ProjectEncryption second = Api.projects().updateProjectEncryption(enableLocal(project));

        assertThat(first.getGeneration()).isEqualTo(1);
        assertThat(disabled.getGeneration()).isEqualTo(1);
        assertThat(second.getGeneration()).isEqualTo(2);
        assertThat(Api.projects().getProjectEncryption(GetProjectEncryptionRequest.newBuilder().setProjectId(project)
                .build()).getGeneration()).isEqualTo(2);
    }

    @Test
    void project_changesInPlace_keepGeneration() {
        String project = Api.uniqueId("p");
        Api.projects().updateProjectEncryption(enableLocal(project));
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));

        ProjectEncryption newKey = Api.projects().updateProjectEncryption(enableLocal(project, "other"));
        UpdateProjectEncryptionRequest threshold = enableLocal(project, "other").toBuilder()
                .setProjectEncryption(enableLocal(project, "other").getProjectEncryption().toBuilder()
                        .setCmkRotationAlertDays(30)).build();
        ProjectEncryption newThreshold = Api.projects().updateProjectEncryption(threshold);

        assertThat(newKey.getGeneration()).isEqualTo(1);
        assertThat(newThreshold.getGeneration()).isEqualTo(1);
    }

    @Test
    void project_configuredDisabledOnly_generationZero() {
        String project = Api.uniqueId("p");

        ProjectEncryption stored = Api.projects().updateProjectEncryption(UpdateProjectEncryptionRequest.newBuilder()
                .setProjectEncryption(ProjectEncryption.newBuilder().setProjectId(project)).build());

        assertThat(stored.getProvider()).isEqualTo(EncryptionAtRestProvider.NONE);
        assertThat(stored.getGeneration()).isZero();
    }

    @Test
    void cluster_neverConfigured_generationZero() {
        assertThat(getCluster(Api.uniqueId("p"), "c1").getGeneration()).isZero();
    }

    @Test
    void cluster_enableRotateDisableEnable_generationMovesOnlyWhenSwitchedOn() {
        String project = Api.uniqueId("p");
        Api.projects().updateProjectEncryption(enableLocal(project));

        ClusterEncryption first = Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));
        Api.clusters().rotateMasterKey(RotateMasterKeyRequest.newBuilder().setProjectId(project).setClusterName("c1").build());
        ClusterEncryption newPeriod = Api.clusters().setClusterEncryption(SetClusterEncryptionRequest.newBuilder()
                .setProjectId(project).setClusterName("c1").setEncryptionAtRestProvider(EncryptionAtRestProvider.LOCAL)
                .setRotationPeriodDays(30).build());
        ClusterEncryption rotated = getCluster(project, "c1");
        ClusterEncryption disabled = Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.NONE));
        ClusterEncryption second = Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));

        assertThat(first.getGeneration()).isEqualTo(1);
        assertThat(rotated.getMasterKeyVersion()).isEqualTo(2);
        assertThat(rotated.getGeneration()).isEqualTo(1);
        assertThat(newPeriod.getGeneration()).isEqualTo(1);
        assertThat(disabled.getGeneration()).isEqualTo(1);
        assertThat(second.getGeneration()).isEqualTo(2);
        assertThat(getCluster(project, "c1").getGeneration()).isEqualTo(2);
    }

    private static ClusterEncryption getCluster(String project, String cluster) {
        return Api.clusters().getClusterEncryption(GetClusterEncryptionRequest.newBuilder().setProjectId(project)
                .setClusterName(cluster).build());
    }
}
