package dev.atrest.keyservice.snapshot;

import static dev.atrest.keyservice.snapshot.SnapshotGrpcTest.encryptedCluster;
import static dev.atrest.keyservice.snapshot.SnapshotGrpcTest.register;
import static dev.atrest.keyservice.snapshot.SnapshotGrpcTest.release;
import static dev.atrest.keyservice.snapshot.SnapshotGrpcTest.restore;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.datakey.DatabaseKeys;
import dev.atrest.keyservice.domain.KeyState;
import dev.atrest.keyservice.rotation.KeyRetention;
import dev.atrest.keyservice.rotation.KeyStateDriver;
import dev.atrest.keyservice.support.Api;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The case table of master-key version 1's stage × what references it, on the real store: does the sweep
 * destroy it, and can the snapshot that recorded it still be restored? Rotations are done by
 * the real rotation engine, driven step by step through KeyStateDriver.
 */
@QuarkusTest
class SnapshotKeyRetentionTest {
    enum Stage { ACTIVE, ROTATING, RETIRED, DESTROYED }

    enum Reference { LIVE_SNAPSHOT, RELEASED_SNAPSHOT, NONE }

    enum Restore { OK, REFUSED, NOT_FOUND, NOT_ASKED }

    @Inject
    DatabaseKeys databaseKeys;

    @Inject
    KeyRetention retention;

    @Inject
    KeyStateDriver rotation;

    @ParameterizedTest(name = "{0} × {1}: destroyed by sweep {2}, ends {3}, restore {4}")
    @CsvSource({
            "ACTIVE,    LIVE_SNAPSHOT,     false, ACTIVE,    OK",
            "ACTIVE,    RELEASED_SNAPSHOT, false, ACTIVE,    NOT_FOUND",
            "ACTIVE,    NONE,              false, ACTIVE,    NOT_ASKED",
            "ROTATING,  LIVE_SNAPSHOT,     false, RETIRED,   OK",
            "ROTATING,  RELEASED_SNAPSHOT, false, RETIRED,   NOT_FOUND",
            "ROTATING,  NONE,              false, RETIRED,   NOT_ASKED",
            "RETIRED,   LIVE_SNAPSHOT,     false, RETIRED,   OK",
            "RETIRED,   RELEASED_SNAPSHOT, true,  DESTROYED, NOT_FOUND",
            // Nothing needs it once the rotation finishes: the finish step's own sweep destroyed it already.
            "RETIRED,   NONE,              false, DESTROYED, NOT_ASKED",
            "DESTROYED, LIVE_SNAPSHOT,     false, DESTROYED, REFUSED",
            "DESTROYED, RELEASED_SNAPSHOT, false, DESTROYED, NOT_FOUND",
            "DESTROYED, NONE,              false, DESTROYED, NOT_ASKED",
    })
    void sweepAndRestore_stageByReference_caseTable(Stage stage, Reference reference, boolean destroyedBySweep,
                                                    KeyState endState, Restore restore) {
        String project = encryptedCluster("c1");
        databaseKeys.getOrCreate(project, "c1", "orders").close(); // wrapped by master key 1
        if (reference != Reference.NONE) {
            Api.snapshots().registerSnapshot(register(project, "c1", "snap-1")); // records master key 1
        }
        bringMasterKeyOneTo(stage, project);

        List<String> destroyed = new ArrayList<>();
        if (reference == Reference.RELEASED_SNAPSHOT) {
            destroyed.addAll(Api.snapshots().releaseSnapshot(release(project, "c1", "snap-1")).getDestroyedKeysList());
        }
        destroyed.addAll(QuarkusTransaction.requiringNew().call(() -> retention.sweep(project, "c1")));

        assertThat(destroyed.contains("master_key:1")).isEqualTo(destroyedBySweep);
        assertThat(destroyed).doesNotContain("master_key:2"); // the current version is never a candidate
        assertThat(rotation.masterKeyState(project, "c1", 1)).isEqualTo(endState);
        assertThat(restoreOutcome(project, reference)).isEqualTo(restore);
    }

    private void bringMasterKeyOneTo(Stage stage, String project) {
        if (stage == Stage.ACTIVE) {
            return;
        }
        rotation.startRotation(project, "c1"); // version 2 current, 1 retired but still wrapping "orders"
        if (stage == Stage.ROTATING) {
            return;
        }
        rotation.finishRotation(project, "c1"); // "orders" now wrapped by 2: version 1 wraps nothing
        if (stage == Stage.DESTROYED) {
            rotation.forceDestroy(project, "c1", 1);
        }
    }

    private Restore restoreOutcome(String project, Reference reference) {
        if (reference == Reference.NONE) {
            return Restore.NOT_ASKED;
        }
        try {
            Api.snapshots().prepareSnapshotRestore(restore(project, "c1", "snap-1"));
            return Restore.OK;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Restore.NOT_FOUND;
            }
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(Api.errorInfo(e).getReason()).isEqualTo("INVALID_SNAPSHOT_RESTORE_ENCRYPTION");
            assertThat(Api.errorInfo(e).getMetadataMap()).containsEntry("snapshot_id", "snap-1")
                    .containsEntry("missing_keys", "master_key:1");
            return Restore.REFUSED;
        }
    }
}
