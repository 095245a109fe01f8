package dev.atrest.keyservice.e2e;

import static dev.atrest.keyservice.support.Requests.enableAws;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.rotation.KeyStateDriver;
import dev.atrest.keyservice.support.Api;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.PrepareSnapshotRestoreRequest;
import dev.atrest.v1.RegisterSnapshotRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * PrepareSnapshotRestore asks KMS to unwrap the snapshot's master key, so a CMK that KMS refuses is caught
 * even before the next periodic validation has marked the project invalid.
 */
@QuarkusTest
class SnapshotRestoreAwsKmsTest {
    @Inject
    KeyStateDriver rows;

    @Test
    void prepareRestore_cmkUsable_returnsTheSnapshot() {
        String project = awsCluster(AwsKmsEndToEndTest.createKey());
        var registered = Api.snapshots().registerSnapshot(register(project));

        assertThat(Api.snapshots().prepareSnapshotRestore(restore(project))).isEqualTo(registered);
    }

    @Test
    void prepareRestore_kmsRefusesToUnwrap_refusedWithKmsReason() {
        String project = awsCluster(AwsKmsEndToEndTest.createKey());
        Api.snapshots().registerSnapshot(register(project));
        // KMS is asked to unwrap under a CMK that did not wrap it, and answers AccessDenied: a verdict.
        rows.pointMasterKeyAt(project, "c1", 1, AwsKmsEndToEndTest.createKey());

        assertThatThrownBy(() -> Api.snapshots().prepareSnapshotRestore(restore(project)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(Api.errorInfo(e).getReason()).isEqualTo("INVALID_SNAPSHOT_RESTORE_ENCRYPTION");
                    assertThat(Api.errorInfo(e).getMetadataMap()).containsEntry("snapshot_id", "snap-1")
                            .hasEntrySatisfying("kms_reason", reason -> assertThat(reason).contains("AccessDenied"));
                });
    }

    private static String awsCluster(String keyArn) {
        String project = Api.uniqueId("aws");
        Api.projects().updateProjectEncryption(enableAws(project, AwsKmsEndToEndTest.cmk(keyArn)));
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.AWS));
        return project;
    }

    private static RegisterSnapshotRequest register(String project) {
        return RegisterSnapshotRequest.newBuilder().setProjectId(project).setClusterName("c1").setSnapshotId("snap-1").build();
    }

    private static PrepareSnapshotRestoreRequest restore(String project) {
        return PrepareSnapshotRestoreRequest.newBuilder().setProjectId(project).setClusterName("c1")
                .setSnapshotId("snap-1").build();
    }
}
