package dev.atrest.keyservice.snapshot;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.datakey.DatabaseKeys;
import dev.atrest.keyservice.support.Api;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetSnapshotRequest;
import dev.atrest.v1.ListSnapshotsRequest;
import dev.atrest.v1.ListSnapshotsResponse;
import dev.atrest.v1.PrepareSnapshotRestoreRequest;
import dev.atrest.v1.RegisterSnapshotRequest;
import dev.atrest.v1.ReleaseSnapshotRequest;
import dev.atrest.v1.ReleaseSnapshotResponse;
import dev.atrest.v1.Snapshot;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SnapshotService on the running service with the LOCAL provider: the API's behaviour and its input rules. */
@QuarkusTest
class SnapshotGrpcTest {
    @Inject
    DatabaseKeys databaseKeys;

    @Test
    void register_encryptedCluster_recordsTheVersionsInUseNow() {
        String project = encryptedCluster("c1");
        databaseKeys.getOrCreate(project, "c1", "orders").close();
        databaseKeys.getOrCreate(project, "c1", "users").close();

        Snapshot registered = Api.snapshots().registerSnapshot(register(project, "c1", "snap-1"));

        assertThat(registered.getSnapshotId()).isEqualTo("snap-1");
        assertThat(registered.getMasterKeyVersion()).isEqualTo(1);
        assertThat(registered.getDatabaseKeyVersionsMap()).isEqualTo(Map.of("orders", 1, "users", 1));
        assertThat(registered.hasCreateTime()).isTrue();
        assertThat(Api.snapshots().getSnapshot(get(project, "c1", "snap-1"))).isEqualTo(registered);
    }

    @Test
    void register_sameIdAgain_returnsTheStoredSnapshotUnchanged() {
        String project = encryptedCluster("c1");
        databaseKeys.getOrCreate(project, "c1", "orders").close();
        Snapshot first = Api.snapshots().registerSnapshot(register(project, "c1", "snap-1"));
        databaseKeys.getOrCreate(project, "c1", "events").close();

        Snapshot again = Api.snapshots().registerSnapshot(register(project, "c1", "snap-1"));

        assertThat(again).isEqualTo(first);
        assertThat(again.getDatabaseKeyVersionsMap()).containsOnlyKeys("orders");
    }

    @Test
    void register_clusterNeverEncrypted_refusedAsNotEnabled() {
        String project = encryptedCluster("c1");

        assertRefusedNotEnabled(() -> Api.snapshots().registerSnapshot(register(project, "other", "snap-1")));
    }

    @Test
    void register_clusterDisabled_refusedAsNotEnabled() {
        String project = encryptedCluster("c1");
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.NONE));

        assertRefusedNotEnabled(() -> Api.snapshots().registerSnapshot(register(project, "c1", "snap-1")));
        assertThat(Api.snapshots().listSnapshots(list(project, "c1", 0, "")).getSnapshotsList()).isEmpty();
    }

    @Test
    void get_notRegistered_notFound() {
        String project = encryptedCluster("c1");

        assertThatThrownBy(() -> Api.snapshots().getSnapshot(get(project, "c1", "nope")))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void list_manySnapshotsOneReleasedMidway_newestFirstWithoutGapsOrRepeats() {
        String project = encryptedCluster("c1");
        for (int i = 0; i < 7; i++) {
            Api.snapshots().registerSnapshot(register(project, "c1", "s" + i));
        }

        List<String> ids = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListSnapshotsResponse page = Api.snapshots().listSnapshots(list(project, "c1", 3, token));
            page.getSnapshotsList().forEach(s -> ids.add(s.getSnapshotId()));
            token = page.getNextPageToken();
            if (pages++ == 0) {
                Api.snapshots().releaseSnapshot(release(project, "c1", "s4")); // already listed: no gap follows
            }
        } while (!token.isEmpty());

        assertThat(ids).containsExactly("s6", "s5", "s4", "s3", "s2", "s1", "s0");
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void release_registeredThenAgain_releasedOnceThenNothingChanges() {
        String project = encryptedCluster("c1");
        Api.snapshots().registerSnapshot(register(project, "c1", "snap-1"));

        ReleaseSnapshotResponse first = Api.snapshots().releaseSnapshot(release(project, "c1", "snap-1"));
        ReleaseSnapshotResponse again = Api.snapshots().releaseSnapshot(release(project, "c1", "snap-1"));

        assertThat(first.getReleased()).isTrue();
        assertThat(first.getDestroyedKeysList()).isEmpty(); // master key 1 is the active one
        assertThat(again.getReleased()).isFalse();
        assertThatThrownBy(() -> Api.snapshots().getSnapshot(get(project, "c1", "snap-1")))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void release_neverRegisteredOfUnknownProject_succeedsReleasingNothing() {
        ReleaseSnapshotResponse response = Api.snapshots().releaseSnapshot(release(Api.uniqueId("p"), "c1", "snap-1"));

        assertThat(response.getReleased()).isFalse();
        assertThat(response.getDestroyedKeysList()).isEmpty();
    }

    static Stream<Arguments> badRequests() {
        String huge = "s".repeat(10_000);
        return Stream.of(
                bad("register without snapshot id", "snapshot_id", () -> Api.snapshots().registerSnapshot(register("p1", "c1", ""))),
                bad("register non-ascii project", "project_id", () -> Api.snapshots().registerSnapshot(register("projet-\u00e9t\u00e9", "c1", "s1"))),
                bad("get 10k snapshot id", "snapshot_id", () -> Api.snapshots().getSnapshot(get("p1", "c1", huge))),
                bad("get without cluster", "cluster_name", () -> Api.snapshots().getSnapshot(get("p1", "", "s1"))),
                bad("list page size 501", "page_size", () -> Api.snapshots().listSnapshots(list("p1", "c1", 501, ""))),
                bad("list negative page size", "page_size", () -> Api.snapshots().listSnapshots(list("p1", "c1", -1, ""))),
                bad("list made-up token", "page_token", () -> Api.snapshots().listSnapshots(list("p1", "c1", 0, "bm90LWEtdG9rZW4"))),
                bad("list token not base64", "page_token", () -> Api.snapshots().listSnapshots(list("p1", "c1", 0, "%%%"))),
                bad("release slash in snapshot id", "snapshot_id", () -> Api.snapshots().releaseSnapshot(release("p1", "c1", "a/b"))),
                bad("prepare restore without project", "project_id", () -> Api.snapshots().prepareSnapshotRestore(
                        PrepareSnapshotRestoreRequest.newBuilder().setClusterName("c1").setSnapshotId("s1").build())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void anyRpc_badInput_invalidArgumentNamingTheField(String name, String field, Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(Api.violatedFields(e)).contains(field);
        });
    }

    private static Arguments bad(String name, String field, Runnable call) {
        return Arguments.of(name, field, call);
    }

    private static void assertRefusedNotEnabled(Runnable call) {
        Consumer<StatusRuntimeException> check = e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(Api.errorInfo(e).getReason()).isEqualTo("ENCRYPTION_AT_REST_NOT_ENABLED");
        };
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, check);
    }

    static String encryptedCluster(String cluster) {
        String project = Api.uniqueId("p");
        Api.projects().updateProjectEncryption(enableLocal(project));
        Api.clusters().setClusterEncryption(setCluster(project, cluster, EncryptionAtRestProvider.LOCAL));
        return project;
    }

    static RegisterSnapshotRequest register(String project, String cluster, String id) {
        return RegisterSnapshotRequest.newBuilder().setProjectId(project).setClusterName(cluster).setSnapshotId(id).build();
    }

    static GetSnapshotRequest get(String project, String cluster, String id) {
        return GetSnapshotRequest.newBuilder().setProjectId(project).setClusterName(cluster).setSnapshotId(id).build();
    }

    static ListSnapshotsRequest list(String project, String cluster, int size, String token) {
        return ListSnapshotsRequest.newBuilder().setProjectId(project).setClusterName(cluster).setPageSize(size)
                .setPageToken(token).build();
    }

    static ReleaseSnapshotRequest release(String project, String cluster, String id) {
        return ReleaseSnapshotRequest.newBuilder().setProjectId(project).setClusterName(cluster).setSnapshotId(id).build();
    }

    static PrepareSnapshotRestoreRequest restore(String project, String cluster, String id) {
        return PrepareSnapshotRestoreRequest.newBuilder().setProjectId(project).setClusterName(cluster)
                .setSnapshotId(id).build();
    }
}
