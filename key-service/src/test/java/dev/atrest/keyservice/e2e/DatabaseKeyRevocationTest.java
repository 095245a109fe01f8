package dev.atrest.keyservice.e2e;

import static dev.atrest.keyservice.e2e.AwsKmsEndToEndTest.cmk;
import static dev.atrest.keyservice.e2e.AwsKmsEndToEndTest.createKey;
import static dev.atrest.keyservice.support.Requests.enableAws;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.cmkchange.KeyHealthChecks;
import dev.atrest.keyservice.masterkey.KeyAccessChanged;
import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.Moto;
import dev.atrest.v1.DatabaseKey;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetDatabaseKeyRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The data plane against moto: keys held in memory cost no KMS call, and a CMK found revoked by the
 * periodic check is refused at once, even for keys released (and cached) before.
 */
@QuarkusTest
class DatabaseKeyRevocationTest {
    @Inject
    KeyHealthChecks healthChecks;

    @Inject
    Event<KeyAccessChanged> keyAccessChanged;

    @Test
    void getDatabaseKey_cmkDisabledThenChecked_refusedEvenWhenCachedUntilEnabledAndCheckedAgain() {
        String keyArn = createKey();
        String project = encryptedProject(keyArn);
        DatabaseKey before = get(project, "orders");

        Moto.setKeyEnabled(keyArn, false);
        // Until the next check, the key held in memory is still served: no KMS call is made for it.
        assertThat(get(project, "orders").getKey()).isEqualTo(before.getKey());
        healthChecks.run(); // what jobs.KeyHealthJob runs every atrest.validation.interval

        assertThatThrownBy(() -> get(project, "orders")).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(Api.errorInfo(e).getReason()).isEqualTo("ENCRYPTION_AT_REST_SETTINGS_INVALID");
            assertThat(Api.errorInfo(e).getMetadataMap().get("kms_reason")).containsIgnoringCase("disabled");
        });

        Moto.setKeyEnabled(keyArn, true);
        healthChecks.run();

        assertThat(get(project, "orders").getKey()).isEqualTo(before.getKey());
    }

    @Test
    void getDatabaseKey_manyCallsOverManyDatabases_oneKmsDecryptPerMasterKeyUntilInvalidated() {
        String project = encryptedProject(createKey());
        MotoRecorder.start();

        for (int call = 0; call < 40; call++) {
            get(project, "db" + call % 8);
        }
        long afterFirstRound = masterKeyDecrypts(MotoRecorder.stopAndRead(), project);
        MotoRecorder.start();
        keyAccessChanged.fire(new KeyAccessChanged(project));
        for (int call = 0; call < 40; call++) {
            get(project, "db" + call % 8);
        }
        long afterInvalidation = masterKeyDecrypts(MotoRecorder.stopAndRead(), project);

        assertThat(afterFirstRound).isEqualTo(1);
        assertThat(afterInvalidation).isEqualTo(1);
    }

    /** KMS Decrypt calls for a master key of the project (not the throwaway key of a validation). */
    private static long masterKeyDecrypts(String recorded, String project) {
        return recorded.lines().filter(line -> line.contains("TrentService.Decrypt") && line.contains(project)
                && line.contains("atrest:master-key-version")).count();
    }

    private static String encryptedProject(String keyArn) {
        String project = Api.uniqueId("revoke");
        Api.projects().updateProjectEncryption(enableAws(project, cmk(keyArn)));
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.AWS));
        return project;
    }

    private static DatabaseKey get(String project, String database) {
        return Api.databaseKeys().getDatabaseKey(GetDatabaseKeyRequest.newBuilder().setProjectId(project)
                .setClusterName("c1").setDatabaseName(database).build());
    }

}
