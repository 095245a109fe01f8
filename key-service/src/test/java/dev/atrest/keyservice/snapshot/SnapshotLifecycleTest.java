package dev.atrest.keyservice.snapshot;

import static dev.atrest.keyservice.snapshot.SnapshotGrpcTest.encryptedCluster;
import static dev.atrest.keyservice.snapshot.SnapshotGrpcTest.list;
import static dev.atrest.keyservice.snapshot.SnapshotGrpcTest.register;
import static dev.atrest.keyservice.snapshot.SnapshotGrpcTest.release;
import static dev.atrest.keyservice.snapshot.SnapshotGrpcTest.restore;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.datakey.DatabaseKeys;
import dev.atrest.keyservice.domain.KeyState;
import dev.atrest.keyservice.rotation.KeyRetention;
import dev.atrest.keyservice.rotation.KeyStateDriver;
import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.TestClock;
import dev.atrest.v1.DisableProjectEncryptionRequest;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.Snapshot;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Snapshots over months of rotations, with the service's clock driven forward: retired master keys stay
 * while a snapshot needs them and go when it is released; a CMK judged invalid refuses every restore.
 */
@QuarkusTest
class SnapshotLifecycleTest {
    private static final Duration ROTATION_PERIOD = Duration.ofDays(91);

    @Inject
    DatabaseKeys databaseKeys;

    @Inject
    KeyRetention retention;

    @Inject
    KeyStateDriver rotation;

    @Inject
    TestClock clock;

    @Test
    void twoRotations_snapshotsHoldTheirVersions_releasingLetsThemGo() {
        String project = encryptedCluster("c1");
        databaseKeys.getOrCreate(project, "c1", "orders").close();
        Snapshot early = Api.snapshots().registerSnapshot(register(project, "c1", "early"));
        clock.advance(ROTATION_PERIOD);
        assertThat(rotateFully(project)).isEmpty(); // "early" holds version 1
        Snapshot late = Api.snapshots().registerSnapshot(register(project, "c1", "late"));
        clock.advance(ROTATION_PERIOD);
        assertThat(rotateFully(project)).isEmpty(); // "late" holds version 2

        assertThat(Api.snapshots().listSnapshots(list(project, "c1", 0, "")).getSnapshotsList())
                .containsExactly(late, early);
        assertThat(late.getCreateTime().getSeconds() - early.getCreateTime().getSeconds())
                .isGreaterThanOrEqualTo(ROTATION_PERIOD.toSeconds());
        assertThat(Api.snapshots().prepareSnapshotRestore(restore(project, "c1", "early"))).isEqualTo(early);

        assertThat(Api.snapshots().releaseSnapshot(release(project, "c1", "early")).getDestroyedKeysList())
                .containsExactly("master_key:1");
        assertThat(Api.snapshots().prepareSnapshotRestore(restore(project, "c1", "late"))).isEqualTo(late);
        assertThat(Api.snapshots().releaseSnapshot(release(project, "c1", "late")).getDestroyedKeysList())
                .containsExactly("master_key:2");
        assertThat(rotation.masterKeyState(project, "c1", 1)).isEqualTo(KeyState.DESTROYED);
        assertThat(rotation.masterKeyState(project, "c1", 2)).isEqualTo(KeyState.DESTROYED);
        assertThat(rotation.masterKeyState(project, "c1", 3)).isEqualTo(KeyState.ACTIVE);
        try (var orders = databaseKeys.getOrCreate(project, "c1", "orders")) {
            assertThat(orders.masterKeyVersion()).isEqualTo(3); // still readable under the surviving version
        }
    }

    @Test
    void prepareRestore_cmkMarkedInvalid_refusedWithTheValidationError() {
        String project = encryptedCluster("c1");
        Api.snapshots().registerSnapshot(register(project, "c1", "snap-1"));
        rotation.markCmkInvalid(project, "DisabledException: key is disabled");

        assertThatThrownBy(() -> Api.snapshots().prepareSnapshotRestore(restore(project, "c1", "snap-1")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).contains("DisabledException: key is disabled");
                    assertThat(Api.errorInfo(e).getReason()).isEqualTo("INVALID_SNAPSHOT_RESTORE_ENCRYPTION");
                    assertThat(Api.errorInfo(e).getMetadataMap()).containsEntry("snapshot_id", "snap-1")
                            .doesNotContainKey("missing_keys");
                });
    }

    @Test
    void prepareRestore_projectDisabledAfterClusters_refused() {
        String project = encryptedCluster("c1");
        Api.snapshots().registerSnapshot(register(project, "c1", "snap-1"));
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.NONE));
        Api.projects().disableProjectEncryption(DisableProjectEncryptionRequest.newBuilder().setProjectId(project).build());

        assertThatThrownBy(() -> Api.snapshots().prepareSnapshotRestore(restore(project, "c1", "snap-1")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(Api.errorInfo(e).getReason()).isEqualTo("INVALID_SNAPSHOT_RESTORE_ENCRYPTION"));
    }

    /** New master key, every database key re-wrapped, then the sweep a finished rotation runs. */
    private List<String> rotateFully(String project) {
        rotation.startRotation(project, "c1");
        rotation.finishRotation(project, "c1");
        return QuarkusTransaction.requiringNew().call(() -> retention.sweep(project, "c1"));
    }
}
