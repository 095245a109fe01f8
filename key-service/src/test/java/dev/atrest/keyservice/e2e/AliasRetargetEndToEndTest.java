package dev.atrest.keyservice.e2e;

import static dev.atrest.keyservice.e2e.AwsKmsEndToEndTest.cmk;
import static dev.atrest.keyservice.e2e.AwsKmsEndToEndTest.createKey;
import static dev.atrest.keyservice.support.Requests.enableAws;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.cmkchange.KeyHealthChecks;
import dev.atrest.keyservice.datakey.DatabaseKeys;
import dev.atrest.keyservice.domain.PreconditionFailedException;
import dev.atrest.keyservice.domain.PreconditionFailedException.Reason;
import dev.atrest.keyservice.masterkey.KeyAccessChanged;
import dev.atrest.keyservice.store.MasterKeyRepository;
import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.Moto;
import dev.atrest.keyservice.support.TestClock;
import dev.atrest.v1.Alert;
import dev.atrest.v1.AlertType;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ListAlertsRequest;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.ValidateProjectEncryptionRequest;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * A project configured with an alias on moto, whose alias is moved to a new CMK (KMS UpdateAlias, AWS's
 * way of rotating a key by hand). The health check follows the alias: the master keys move to the new
 * CMK before the old one is disabled; an old CMK disabled first is named by KEY_INVALID and locks the
 * project out. Whether the root key changed is decided by the key KMS resolves, not by the string.
 */
@QuarkusTest
class AliasRetargetEndToEndTest {
    private static final int CLUSTERS = 3;

    @Inject
    KeyHealthChecks healthChecks;

    @Inject
    DatabaseKeys databaseKeys;

    @Inject
    MasterKeyRepository masterKeyRows;

    @Inject
    Event<KeyAccessChanged> keyAccessChanged;

    @Inject
    TestClock clock;

    @Test
    void validate_aliasMovedToNewCmk_masterKeysMoveThenOldCmkDisabledKeysStillServed() {
        String oldKey = createKey();
        String alias = createAlias(oldKey);
        String project = projectWithClusters(alias);
        Map<String, String> before = ProjectKeys.bytes(databaseKeys, project, CLUSTERS);
        assertThat(ProjectKeys.live(masterKeyRows, project)).hasSize(CLUSTERS)
                .allSatisfy(key -> assertThat(key.wrappingKeyId).isEqualTo(oldKey)); // the resolved ARN, not the alias
        var changedBefore = get(project).getCmkLastChangedTime();
        String newKey = createKey();
        clock.advance(Duration.ofDays(1));

        retarget(alias, newKey);
        ProjectEncryption checked = validate(project);

        assertThat(checked.getValid()).isTrue();
        assertThat(checked.hasCmkChange()).as("the move finished within the check").isFalse();
        assertThat(checked.getAwsKms().getCustomerMasterKeyId()).isEqualTo(alias);
        assertThat(checked.getCmkLastChangedTime().getSeconds()).isGreaterThan(changedBefore.getSeconds());
        assertThat(ProjectKeys.live(masterKeyRows, project)).hasSize(CLUSTERS)
                .allSatisfy(key -> assertThat(key.wrappingKeyId).isEqualTo(newKey));

        setEnabled(oldKey, false);
        keyAccessChanged.fire(new KeyAccessChanged(project)); // the cache TTL ends: keys unwrap through KMS again
        MotoRecorder.start();

        assertThat(ProjectKeys.bytes(databaseKeys, project, CLUSTERS)).isEqualTo(before);
        // moto does not refuse a disabled key's Decrypt as KMS does: prove each master key was opened by the new one.
        assertThat(MotoRecorder.stopAndRead().lines().filter(line -> line.contains("TrentService.Decrypt")
                && line.contains(project) && line.contains("atrest:master-key-version")).toList())
                .hasSize(CLUSTERS).allSatisfy(line -> assertThat(line).contains(newKey).doesNotContain(oldKey));
        assertThat(validate(project).getValid()).as("the disabled old CMK wraps nothing any more").isTrue();
        assertThat(openTypes(project)).isEmpty();
    }

    @Test
    void healthChecks_oldCmkDisabledBeforeAnyCheck_keyInvalidNamesOldCmkAndAccessSuspendedUntilItMoves() {
        String oldKey = createKey();
        String alias = createAlias(oldKey);
        String project = projectWithClusters(alias);
        Map<String, String> before = ProjectKeys.bytes(databaseKeys, project, CLUSTERS);

        retarget(alias, createKey());
        setEnabled(oldKey, false);
        healthChecks.run(); // what jobs.KeyHealthJob runs every atrest.validation.interval

        assertThat(openAlerts(project)).singleElement().satisfies(alert -> {
            assertThat(alert.getType()).isEqualTo(AlertType.KEY_INVALID);
            assertThat(alert.getDetail()).contains(oldKey).containsIgnoringCase("disabled");
        });
        assertThat(get(project).getValid()).isFalse();
        assertThat(get(project).getValidationError()).contains(oldKey);
        assertThat(ProjectKeys.live(masterKeyRows, project))
                .allSatisfy(key -> assertThat(key.wrappingKeyId).isEqualTo(oldKey));
        assertThatThrownBy(() -> ProjectKeys.bytes(databaseKeys, project, CLUSTERS))
                .isInstanceOfSatisfying(PreconditionFailedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.ENCRYPTION_AT_REST_SETTINGS_INVALID);
                    assertThat(e.metadata().get("kms_reason")).contains(oldKey);
                });

        setEnabled(oldKey, true); // the owner's way out: the old CMK back until the keys have moved
        ProjectEncryption recovered = validate(project);

        assertThat(recovered.getValid()).isTrue();
        assertThat(recovered.hasCmkChange()).isFalse();
        assertThat(ProjectKeys.live(masterKeyRows, project))
                .allSatisfy(key -> assertThat(key.wrappingKeyId).isNotEqualTo(oldKey));
        setEnabled(oldKey, false);
        keyAccessChanged.fire(new KeyAccessChanged(project));
        assertThat(ProjectKeys.bytes(databaseKeys, project, CLUSTERS)).isEqualTo(before);
    }

    @Test
    void update_keyArnThenAliasOfSameKey_noCmkChangeAndCmkLastChangedTimeKept() {
        String key = createKey();
        String project = projectWithClusters(key);
        Map<String, String> before = ProjectKeys.bytes(databaseKeys, project, CLUSTERS);
        var changedBefore = get(project).getCmkLastChangedTime();
        String alias = createAlias(key);
        clock.advance(Duration.ofDays(1));
        MotoRecorder.start();

        ProjectEncryption updated = Api.projects().updateProjectEncryption(enableAws(project, cmk(alias)));
        ProjectEncryption checked = validate(project);
        String calls = MotoRecorder.stopAndRead();

        assertThat(updated.getAwsKms().getCustomerMasterKeyId()).isEqualTo(alias);
        assertThat(updated.hasCmkChange()).isFalse();
        assertThat(updated.getCmkLastChangedTime()).isEqualTo(changedBefore);
        assertThat(checked.getCmkLastChangedTime()).isEqualTo(changedBefore);
        assertThat(calls).doesNotContain("TrentService.ReEncrypt");
        assertThat(ProjectKeys.live(masterKeyRows, project)).hasSize(CLUSTERS).allSatisfy(row -> {
            assertThat(row.wrappingKeyId).isEqualTo(key);
            assertThat(row.rootKeyGeneration).as("not re-wrapped").isEqualTo(1);
        });
        assertThat(ProjectKeys.bytes(databaseKeys, project, CLUSTERS)).isEqualTo(before);
    }

    @Test
    void update_aliasToArnOfAnotherKey_stillACmkChange() {
        String alias = createAlias(createKey());
        String project = projectWithClusters(alias);
        String newKey = createKey();

        ProjectEncryption updated = Api.projects().updateProjectEncryption(enableAws(project, cmk(newKey)));

        assertThat(updated.hasCmkChange()).isFalse();
        assertThat(ProjectKeys.live(masterKeyRows, project)).allSatisfy(row -> {
            assertThat(row.wrappingKeyId).isEqualTo(newKey);
            assertThat(row.rootKeyGeneration).isEqualTo(2);
        });
    }

    private String projectWithClusters(String keyId) {
        String project = Api.uniqueId("alias");
        Api.projects().updateProjectEncryption(enableAws(project, cmk(keyId)));
        for (int i = 0; i < CLUSTERS; i++) {
            Api.clusters().setClusterEncryption(setCluster(project, "c" + i, EncryptionAtRestProvider.AWS));
        }
        return project;
    }

    /** Creates an alias of {@code keyArn} and returns the alias ARN, as a project would be configured with. */
    private static String createAlias(String keyArn) {
        String name = "alias/" + Api.uniqueId("retarget");
        try (KmsClient kms = Moto.adminClient()) {
            kms.createAlias(r -> r.aliasName(name).targetKeyId(keyId(keyArn)));
        }
        return "arn:aws:kms:" + Moto.REGION + ":" + Moto.ACCOUNT + ":" + name;
    }

    private static void retarget(String aliasArn, String keyArn) {
        try (KmsClient kms = Moto.adminClient()) {
            kms.updateAlias(r -> r.aliasName(aliasArn.substring(aliasArn.indexOf("alias/"))).targetKeyId(keyId(keyArn)));
            assertThat(kms.describeKey(r -> r.keyId(aliasArn)).keyMetadata().arn()).isEqualTo(keyArn);
        }
    }

    private static void setEnabled(String keyArn, boolean enabled) {
        Moto.setKeyEnabled(keyArn, enabled);
    }

    private static String keyId(String keyArn) {
        return keyArn.substring(keyArn.lastIndexOf('/') + 1);
    }

    private static ProjectEncryption validate(String project) {
        return Api.projects().validateProjectEncryption(
                ValidateProjectEncryptionRequest.newBuilder().setProjectId(project).build());
    }

    private static ProjectEncryption get(String project) {
        return Api.projects().getProjectEncryption(GetProjectEncryptionRequest.newBuilder().setProjectId(project).build());
    }

    /** Open alerts other than CMK age, which other tests' clock advances may have raised. */
    private static List<Alert> openAlerts(String project) {
        return Api.alerts().listAlerts(ListAlertsRequest.newBuilder().setProjectId(project).setPageSize(500).build())
                .getAlertsList().stream().filter(Alert::getOpen)
                .filter(alert -> alert.getType() != AlertType.CMK_ROTATION_OVERDUE).toList();
    }

    private static List<AlertType> openTypes(String project) {
        return openAlerts(project).stream().map(Alert::getType).toList();
    }
}
