package dev.atrest.keyservice.cluster;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.keys;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.support.Api;
import dev.atrest.v1.ClusterEncryption;
import dev.atrest.v1.ClusterEncryptionState;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetClusterEncryptionRequest;
import dev.atrest.v1.KeyState;
import dev.atrest.v1.ListClusterEncryptionsRequest;
import dev.atrest.v1.ListClusterEncryptionsResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ClusterEncryptionGrpcTest {

    @Test
    void set_projectNotEnabled_refusedWithReason() {
        String project = Api.uniqueId("p");

        assertThatThrownBy(() -> Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(Api.errorInfo(e).getReason()).isEqualTo("ENCRYPTION_AT_REST_NOT_ENABLED");
                });
        assertThat(Api.clusters().getClusterEncryption(get(project, "c1")).getState())
                .isEqualTo(ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_DISABLED);
    }

    @Test
    void set_providerOtherThanProjects_refusedAsInvalidProvider() {
        String project = Api.uniqueId("p");
        Api.projects().updateProjectEncryption(enableLocal(project));

        assertThatThrownBy(() -> Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.AWS)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(Api.errorInfo(e).getReason()).isEqualTo("INVALID_ENCRYPTION_AT_REST_PROVIDER"));
    }

    @Test
    void set_parallelFirstEnablesOfOneCluster_oneMasterKeyStoredAndAllAnswerIt() throws Exception {
        String project = Api.uniqueId("p");
        Api.projects().updateProjectEncryption(enableLocal(project));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<ClusterEncryption> answers = new ArrayList<>();
        try {
            List<Future<ClusterEncryption>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(pool.submit(() -> Api.clusters().setClusterEncryption(
                        setCluster(project, "c1", EncryptionAtRestProvider.LOCAL))));
            }
            for (Future<ClusterEncryption> call : calls) {
                answers.add(call.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        // Each call generated a master key before storing; only one was stored, the others were dropped.
        assertThat(answers).extracting(ClusterEncryption::getMasterKeyVersion).containsOnly(1);
        assertThat(Api.clusters().listClusterKeys(keys(project, "c1")).getMasterKeyVersionsList()).hasSize(1);
    }

    @Test
    void set_enable_createsOneMasterKeyAndIsIdempotent() {
        String project = Api.uniqueId("p");
        Api.projects().updateProjectEncryption(enableLocal(project));

        ClusterEncryption first = Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));
        ClusterEncryption again = Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));

        assertThat(first.getState()).isEqualTo(ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_ENABLED);
        assertThat(first.getMasterKeyVersion()).isEqualTo(1);
        assertThat(again).isEqualTo(first);
        var keys = Api.clusters().listClusterKeys(keys(project, "c1"));
        assertThat(keys.getMasterKeyVersionsList()).singleElement().satisfies(key -> {
            assertThat(key.getState()).isEqualTo(KeyState.KEY_STATE_ACTIVE);
            assertThat(key.getProvider()).isEqualTo(EncryptionAtRestProvider.LOCAL);
        });
    }

    @Test
    void set_disableThenEnable_reusesTheMasterKey() {
        String project = Api.uniqueId("p");
        Api.projects().updateProjectEncryption(enableLocal(project));
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));

        ClusterEncryption disabled = Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.NONE));
        ClusterEncryption enabled = Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));

        assertThat(disabled.getEncryptionAtRestProvider()).isEqualTo(EncryptionAtRestProvider.NONE);
        assertThat(enabled.getMasterKeyVersion()).isEqualTo(1);
        assertThat(Api.clusters().listClusterKeys(keys(project, "c1")).getMasterKeyVersionsCount()).isEqualTo(1);
    }

    @Test
    void set_changeProviderOfEncryptedCluster_refused() {
        String project = Api.uniqueId("p");
        Api.projects().updateProjectEncryption(enableLocal(project));
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));

        assertThatThrownBy(() -> Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.AWS)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(Api.errorInfo(e).getReason()).isEqualTo("CANNOT_CHANGE_ENCRYPTION_AT_REST_PROVIDER"));
    }

    @Test
    void set_noneOnNeverConfiguredCluster_storesNothing() {
        String project = Api.uniqueId("p");
        Api.projects().updateProjectEncryption(enableLocal(project));

        Api.clusters().setClusterEncryption(setCluster(project, "ghost", EncryptionAtRestProvider.NONE));

        assertThat(Api.clusters().listClusterEncryptions(list(project, 10, "")).getClusterEncryptionsList()).isEmpty();
    }

    @Test
    void list_manyClusters_pagesInNameOrderWithoutGapsOrRepeats() {
        String project = Api.uniqueId("p");
        Api.projects().updateProjectEncryption(enableLocal(project));
        for (int i = 0; i < 7; i++) {
            Api.clusters().setClusterEncryption(setCluster(project, "c" + i, EncryptionAtRestProvider.LOCAL));
        }

        List<String> names = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListClusterEncryptionsResponse page = Api.clusters().listClusterEncryptions(list(project, 3, token));
            page.getClusterEncryptionsList().forEach(c -> names.add(c.getClusterName()));
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());

        assertThat(names).containsExactly("c0", "c1", "c2", "c3", "c4", "c5", "c6");
        assertThat(pages).isEqualTo(3);
    }

    static GetClusterEncryptionRequest get(String project, String cluster) {
        return GetClusterEncryptionRequest.newBuilder().setProjectId(project).setClusterName(cluster).build();
    }

    static ListClusterEncryptionsRequest list(String project, int size, String token) {
        return ListClusterEncryptionsRequest.newBuilder().setProjectId(project).setPageSize(size).setPageToken(token).build();
    }
}
