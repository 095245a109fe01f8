package dev.atrest.keyservice.e2e;

import static dev.atrest.keyservice.e2e.AwsKmsEndToEndTest.cmk;
import static dev.atrest.keyservice.e2e.AwsKmsEndToEndTest.createKey;
import static dev.atrest.keyservice.support.Requests.enableAws;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.datakey.DatabaseKeys;
import dev.atrest.keyservice.store.MasterKeyRepository;
import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.Moto;
import dev.atrest.testsupport.Awaits;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.RotateMasterKeyRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Changing a project's CMK on moto: every master key moves to the new CMK (KMS ReEncrypt), the service
 * keeps serving, and an old CMK disabled midway leaves a consistent state that the same update finishes.
 */
@QuarkusTest
class CmkChangeEndToEndTest {
    private static final int CLUSTERS = 20;

    @Inject
    DatabaseKeys databaseKeys;

    @Inject
    MasterKeyRepository masterKeyRows;

    @Test
    void update_newCmkBothLive_everyMasterKeyReEncryptedUnderItAndOldCmkNoLongerNeeded() throws Exception {
        String oldKey = createKey();
        String newKey = createKey();
        String project = projectWithClusters(oldKey, 3);
        Api.clusters().rotateMasterKey(rotate(project, "c0"));
        Awaits.rotationFinished(Api::clusters, project, "c0");
        Map<String, String> before = ProjectKeys.bytes(databaseKeys, project, 3);
        Instant changedBefore = changedTime(project);
        MotoRecorder.start();

        ProjectEncryption changed = Api.projects().updateProjectEncryption(enableAws(project, cmk(newKey)));
        String calls = MotoRecorder.stopAndRead();
        disable(oldKey);

        assertThat(changed.hasCmkChange()).isFalse();
        assertThat(changed.getAwsKms().getCustomerMasterKeyId()).isEqualTo(newKey);
        assertThat(toInstant(changed)).isAfter(changedBefore);
        assertThat(ProjectKeys.live(masterKeyRows, project)).isNotEmpty()
                .allSatisfy(key -> assertThat(key.wrappingKeyId).isEqualTo(newKey));
        // Same credentials and region for both CMKs: the master keys moved without leaving KMS in plaintext.
        assertThat(calls).contains("TrentService.ReEncrypt");
        assertThat(ProjectKeys.bytes(databaseKeys, project, 3)).isEqualTo(before);
    }

    @Test
    void update_oldCmkDisabledMidway_errorConsistentAndSameUpdateFinishesAfterReEnable() throws Exception {
        String oldKey = createKey();
        String newKey = createKey();
        String project = projectWithClusters(oldKey, CLUSTERS);
        Map<String, String> before = ProjectKeys.bytes(databaseKeys, project, CLUSTERS);

        CompletableFuture<ProjectEncryption> update = CompletableFuture.supplyAsync(
                () -> Api.projects().updateProjectEncryption(enableAws(project, cmk(newKey))));
        awaitSomeMoved(project, update);
        disable(oldKey);

        assertThatThrownBy(update::join).cause().isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(e.getStatus().getDescription()).contains("not finished", "send the same update again");
            assertThat(Api.errorInfo(e).getMetadataMap().get("kms_reason")).containsIgnoringCase("disabled");
        });
        ProjectEncryption midway = get(project);
        int moved = midway.getCmkChange().getMasterKeysRewrapped();
        assertThat(moved).as("the old CMK was disabled midway").isBetween(1, CLUSTERS - 1);
        assertThat(midway.getCmkChange().getMasterKeysTotal()).isEqualTo(CLUSTERS);
        assertThat(midway.getCmkChange().getLastError()).containsIgnoringCase("disabled");
        assertThat(ProjectKeys.live(masterKeyRows, project))
                .allSatisfy(key -> assertThat(key.wrappingKeyId).isIn(oldKey, newKey));
        // Another CMK now would strand keys under two old CMKs: refused until this change finishes.
        assertThatThrownBy(() -> Api.projects().updateProjectEncryption(enableAws(project, cmk(createKey()))))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(Api.errorInfo(e).getReason()).isEqualTo("CMK_CHANGE_IN_PROGRESS"));

        enable(oldKey);
        // Keys under either CMK still open.
        Map<String, String> midwayBytes = ProjectKeys.bytes(databaseKeys, project, CLUSTERS);
        ProjectEncryption finished = Api.projects().updateProjectEncryption(enableAws(project, cmk(newKey)));

        assertThat(midwayBytes).isEqualTo(before);
        assertThat(finished.hasCmkChange()).isFalse();
        assertThat(ProjectKeys.live(masterKeyRows, project)).hasSize(CLUSTERS)
                .allSatisfy(key -> assertThat(key.wrappingKeyId).isEqualTo(newKey));
        disable(oldKey);
        assertThat(ProjectKeys.bytes(databaseKeys, project, CLUSTERS)).isEqualTo(before);
    }

    /** Until the change has moved a first master key; fails if the update ends before one was seen moving. */
    private void awaitSomeMoved(String project, CompletableFuture<ProjectEncryption> update) {
        Awaits.until("a first master key of " + project + " moved to the new CMK", Duration.ofSeconds(30), () -> {
            if (update.isDone()) {
                throw new AssertionError("the update ended before a master key was seen moving: "
                        + update.handle((done, failure) -> failure == null ? done : failure).join());
            }
            return QuarkusTransaction.requiringNew().call(() -> masterKeyRows
                    .count("projectId = ?1 and rootKeyGeneration > 1", project) > 0);
        });
    }

    private String projectWithClusters(String cmkArn, int clusters) {
        String project = Api.uniqueId("cmk");
        Api.projects().updateProjectEncryption(enableAws(project, cmk(cmkArn)));
        for (int i = 0; i < clusters; i++) {
            Api.clusters().setClusterEncryption(setCluster(project, "c" + i, EncryptionAtRestProvider.AWS));
        }
        return project;
    }

    private static Instant changedTime(String project) {
        return toInstant(get(project));
    }

    private static Instant toInstant(ProjectEncryption project) {
        var time = project.getCmkLastChangedTime();
        return Instant.ofEpochSecond(time.getSeconds(), time.getNanos());
    }

    private static ProjectEncryption get(String project) {
        return Api.projects().getProjectEncryption(GetProjectEncryptionRequest.newBuilder().setProjectId(project).build());
    }

    private static RotateMasterKeyRequest rotate(String project, String cluster) {
        return RotateMasterKeyRequest.newBuilder().setProjectId(project).setClusterName(cluster).build();
    }

    private static void disable(String keyArn) {
        try (KmsClient kms = Moto.adminClient()) {
            kms.disableKey(r -> r.keyId(keyArn.substring(keyArn.lastIndexOf('/') + 1)));
        }
    }

    private static void enable(String keyArn) {
        try (KmsClient kms = Moto.adminClient()) {
            kms.enableKey(r -> r.keyId(keyArn.substring(keyArn.lastIndexOf('/') + 1)));
        }
    }
}
