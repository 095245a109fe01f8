package dev.atrest.keyservice.rotation;

import static dev.atrest.keyservice.rotation.KeyHierarchyProbe.assertSound;
import static dev.atrest.keyservice.rotation.KeyHierarchyProbe.keyBytes;
import static dev.atrest.keyservice.rotation.KeyHierarchyProbe.keys;
import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.datakey.DatabaseKeys;
import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.TestClock;
import dev.atrest.testsupport.Awaits;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetRotationStatusRequest;
import dev.atrest.v1.KeyState;
import dev.atrest.v1.RotateMasterKeyRequest;
import dev.atrest.v1.RotationStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Master-key rotation on the running service: on demand, when due by the (test) clock, and its status. */
@QuarkusTest
class RotationGrpcTest {
    private static final int DATABASES = 25;

    @Inject
    DatabaseKeys databaseKeys;

    @Inject
    RotationChecks rotationChecks;

    @Inject
    TestClock clock;

    @Test
    void rotateMasterKey_encryptedCluster_newVersionAndEveryKeyRewrappedUnchanged() throws Exception {
        String project = encryptedProject("c1");
        Map<String, String> before = keyBytes(databaseKeys, project, "c1", DATABASES);

        RotationStatus started = Api.clusters().rotateMasterKey(rotate(project, "c1"));
        RotationStatus done = Awaits.rotationFinished(Api::clusters, project, "c1");

        assertThat(started.getMasterKeyVersion()).isEqualTo(2);
        assertThat(done.getMasterKeyVersion()).isEqualTo(2);
        assertThat(done.getRewrappedKeys()).isEqualTo(DATABASES);
        assertThat(done.getTotalKeys()).isEqualTo(DATABASES);
        assertThat(done.hasLastRotationTime()).isTrue();
        assertThat(keys(project, "c1").getDatabaseKeysList())
                .allSatisfy(key -> assertThat(key.getWrappedByMasterKeyVersion()).isEqualTo(2));
        assertThat(keys(project, "c1").getMasterKeyVersionsList())
                .filteredOn(key -> key.getState() == KeyState.KEY_STATE_ACTIVE).singleElement()
                .satisfies(key -> assertThat(key.getVersion()).isEqualTo(2));
        assertSound(project, "c1", 2);
        assertThat(keyBytes(databaseKeys, project, "c1", DATABASES)).isEqualTo(before);
    }

    @Test
    void rotateMasterKey_clusterNotEncrypted_failedPrecondition() {
        String project = encryptedProject("c1");
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.NONE));

        assertThatThrownBy(() -> Api.clusters().rotateMasterKey(rotate(project, "c1")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(Api.errorInfo(e).getReason()).isEqualTo("ENCRYPTION_AT_REST_NOT_ENABLED");
                });
    }

    @Test
    void rotateMasterKey_badClusterName_invalidArgumentNamingField() {
        assertThatThrownBy(() -> Api.clusters().rotateMasterKey(rotate(Api.uniqueId("p"), "no spaces")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(Api.violatedFields(e)).containsExactly("cluster_name");
                });
    }

    @Test
    void checkCluster_olderThanPeriod_rotatesOnceAndAgainHarmless() {
        String project = encryptedProject("c1");
        Map<String, String> before = keyBytes(databaseKeys, project, "c1", 3);

        assertThat(rotationChecks.checkCluster(project, "c1")).isFalse();
        clock.advance(Duration.ofDays(91));
        boolean first = rotationChecks.checkCluster(project, "c1");
        boolean second = rotationChecks.checkCluster(project, "c1");

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        RotationStatus status = status(project, "c1");
        assertThat(status.getMasterKeyVersion()).isEqualTo(2);
        assertThat(status.getInProgress()).isFalse();
        assertThat(Instant.ofEpochSecond(status.getNextRotationTime().getSeconds()))
                .isAfter(Instant.now(clock).plus(Duration.ofDays(89)));
        assertSound(project, "c1", 2);
        assertThat(keyBytes(databaseKeys, project, "c1", 3)).isEqualTo(before);
    }

    @Test
    void checkCluster_periodOfOneDay_rotatesAfterOneDayNotBefore() {
        String project = encryptedProject("c1");
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL).toBuilder()
                .setRotationPeriodDays(1).build());

        clock.advance(Duration.ofHours(23));
        boolean early = rotationChecks.checkCluster(project, "c1");
        clock.advance(Duration.ofHours(2));
        boolean due = rotationChecks.checkCluster(project, "c1");

        assertThat(early).isFalse();
        assertThat(due).isTrue();
        assertThat(status(project, "c1").getRotationPeriodDays()).isEqualTo(1);
        assertThat(status(project, "c1").getMasterKeyVersion()).isEqualTo(2);
    }

    @Test
    void setClusterEncryption_periodBelowOneDay_invalidArgumentNamingField() {
        String project = encryptedProject("c1");

        assertThatThrownBy(() -> Api.clusters().setClusterEncryption(
                setCluster(project, "c1", EncryptionAtRestProvider.LOCAL).toBuilder().setRotationPeriodDays(-5).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(Api.violatedFields(e)).containsExactly("rotation_period_days");
                });
        assertThat(status(project, "c1").getRotationPeriodDays()).isEqualTo(90);
    }

    @Test
    void setClusterEncryption_noneWithPeriodBeforeEverEncrypted_periodKeptForLater() {
        String project = Api.uniqueId("p");
        Api.projects().updateProjectEncryption(enableLocal(project));

        var stored = Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.NONE)
                .toBuilder().setRotationPeriodDays(30).build());
        var enabled = Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));

        assertThat(stored.getRotationPeriodDays()).isEqualTo(30);
        assertThat(enabled.getRotationPeriodDays()).isEqualTo(30);
        assertThat(status(project, "c1").getRotationPeriodDays()).isEqualTo(30);
    }

    @Test
    void setClusterEncryption_periodOverTenYears_invalidArgumentNamingField() {
        String project = encryptedProject("c1");

        assertThatThrownBy(() -> Api.clusters().setClusterEncryption(
                setCluster(project, "c1", EncryptionAtRestProvider.LOCAL).toBuilder().setRotationPeriodDays(3651).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(Api.violatedFields(e)).containsExactly("rotation_period_days");
                });
    }

    static RotationStatus status(String project, String cluster) {
        return Api.clusters().getRotationStatus(
                GetRotationStatusRequest.newBuilder().setProjectId(project).setClusterName(cluster).build());
    }

    static RotateMasterKeyRequest rotate(String project, String cluster) {
        return RotateMasterKeyRequest.newBuilder().setProjectId(project).setClusterName(cluster).build();
    }

    static String encryptedProject(String cluster) {
        String project = Api.uniqueId("p");
        Api.projects().updateProjectEncryption(enableLocal(project));
        Api.clusters().setClusterEncryption(setCluster(project, cluster, EncryptionAtRestProvider.LOCAL));
        return project;
    }
}
