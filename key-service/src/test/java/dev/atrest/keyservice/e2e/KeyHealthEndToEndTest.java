package dev.atrest.keyservice.e2e;

import static dev.atrest.keyservice.e2e.AwsKmsEndToEndTest.cmk;
import static dev.atrest.keyservice.e2e.AwsKmsEndToEndTest.createKey;
import static dev.atrest.keyservice.support.Requests.enableAws;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.cmkchange.KeyHealthChecks;
import dev.atrest.keyservice.datakey.DatabaseKeys;
import dev.atrest.keyservice.domain.KmsUnavailableException;
import dev.atrest.keyservice.domain.PreconditionFailedException;
import dev.atrest.keyservice.domain.PreconditionFailedException.Reason;
import dev.atrest.keyservice.grpc.ErrorMapper;
import dev.atrest.keyservice.health.KeyHealth;
import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.Moto;
import dev.atrest.v1.Alert;
import dev.atrest.v1.AlertType;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ListAlertsRequest;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.ValidateProjectEncryptionRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CMK health against moto: a disabled CMK locks the project's clusters out until it is enabled again;
 * an unreachable KMS (the link to moto cut, see support/KmsLink) only raises an alert.
 */
@QuarkusTest
class KeyHealthEndToEndTest {
    @Inject
    KeyHealthChecks job;

    @Inject
    KeyHealth health;

    @Inject
    DatabaseKeys databaseKeys;

    @Test
    void healthChecks_cmkDisabledThenEnabled_lockOutThenRecovery() {
        String keyArn = createKey();
        String project = encryptedProject(keyArn);
        byte[] before = databaseKeyBytes(project);

        Moto.setKeyEnabled(keyArn, false);
        job.run();

        assertThat(openTypes(project)).containsExactly(AlertType.KEY_INVALID);
        assertThat(get(project).getValid()).isFalse();
        assertThat(get(project).getValidationError()).containsIgnoringCase("disabled");
        assertThatThrownBy(() -> databaseKeyBytes(project))
                .isInstanceOfSatisfying(PreconditionFailedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.ENCRYPTION_AT_REST_SETTINGS_INVALID);
                    assertThat(e.metadata().get("kms_reason")).containsIgnoringCase("disabled");
                    assertThat(e.getMessage()).contains(project, "later successful check");
                    assertThat(ErrorMapper.toStatus(e).getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                });

        Moto.setKeyEnabled(keyArn, true);
        ProjectEncryption validated = validate(project);

        assertThat(validated.getValid()).isTrue();
        assertThat(validated.getValidationError()).isEmpty();
        assertThat(alerts(project)).singleElement().satisfies(alert -> {
            assertThat(alert.getType()).isEqualTo(AlertType.KEY_INVALID);
            assertThat(alert.getOpen()).isFalse();
            assertThat(alert.hasClosedTime()).isTrue();
        });
        assertThat(databaseKeyBytes(project)).isEqualTo(before);
    }

    @Test
    void validate_kmsUnreachable_unavailableAndOnlyKmsUnreachableUntilKmsIsBack() {
        String project = encryptedProject(createKey());

        Moto.link().cut();
        try {
            assertThatThrownBy(() -> validate(project)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        } finally {
            Moto.link().restore();
        }

        assertThat(openTypes(project)).containsExactly(AlertType.KMS_UNREACHABLE);
        assertThat(get(project).getValid()).isTrue();
        health.check(project);
        assertThat(openTypes(project)).isEmpty();
        assertThat(alerts(project)).singleElement().satisfies(alert -> {
            assertThat(alert.getType()).isEqualTo(AlertType.KMS_UNREACHABLE);
            assertThat(alert.hasClosedTime()).isTrue();
        });
        databaseKeyBytes(project);
    }

    @Test
    void check_cmkDisabledWhileKmsUnreachable_noVerdictUntilKmsAnswers() {
        String keyArn = createKey();
        String project = encryptedProject(keyArn);

        Moto.link().cut();
        try {
            Moto.setKeyEnabled(keyArn, false); // set-up talks to moto directly, past the cut link
            assertThatThrownBy(() -> health.check(project)).isInstanceOf(KmsUnavailableException.class);
        } finally {
            Moto.link().restore();
        }

        assertThat(openTypes(project)).containsExactly(AlertType.KMS_UNREACHABLE);
        assertThat(get(project).getValid()).isTrue(); // KMS said nothing about the key: no lock-out
        health.check(project);
        assertThat(openTypes(project)).containsExactly(AlertType.KEY_INVALID);
        assertThat(get(project).getValid()).isFalse();
    }

    private String encryptedProject(String keyArn) {
        String project = Api.uniqueId("health");
        Api.projects().updateProjectEncryption(enableAws(project, cmk(keyArn)));
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.AWS));
        return project;
    }

    private byte[] databaseKeyBytes(String project) {
        try (var key = databaseKeys.getOrCreate(project, "c1", "orders")) {
            return key.key().copyBytes();
        }
    }


    private static ProjectEncryption validate(String project) {
        return Api.projects().validateProjectEncryption(
                ValidateProjectEncryptionRequest.newBuilder().setProjectId(project).build());
    }

    private static ProjectEncryption get(String project) {
        return Api.projects().getProjectEncryption(GetProjectEncryptionRequest.newBuilder().setProjectId(project).build());
    }

    private static List<Alert> alerts(String project) {
        return Api.alerts().listAlerts(ListAlertsRequest.newBuilder().setProjectId(project).setPageSize(500).build())
                .getAlertsList();
    }

    /** Open alert types other than CMK age, which other tests' clock advances may have raised. */
    private static List<AlertType> openTypes(String project) {
        return alerts(project).stream().filter(Alert::getOpen).map(Alert::getType)
                .filter(type -> type != AlertType.CMK_ROTATION_OVERDUE).toList();
    }
}
