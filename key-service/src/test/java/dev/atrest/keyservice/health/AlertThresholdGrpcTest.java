package dev.atrest.keyservice.health;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.TestClock;
import dev.atrest.v1.AlertType;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ListAlertsRequest;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.UpdateProjectEncryptionRequest;
import dev.atrest.v1.ValidateProjectEncryptionRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The project's CMK-age alert threshold over gRPC: stored, kept when left 0, checked, and used by the check. */
@QuarkusTest
class AlertThresholdGrpcTest {
    @Inject
    TestClock clock;

    @Test
    void update_thresholdOnly_storedWithANewEtagThatAGetReturns() {
        String project = Api.uniqueId("p");
        ProjectEncryption created = Api.projects().updateProjectEncryption(withThreshold(enableLocal(project), 200));

        ProjectEncryption changed = Api.projects().updateProjectEncryption(withThreshold(enableLocal(project), 30));
        ProjectEncryption kept = Api.projects().updateProjectEncryption(enableLocal(project));

        assertThat(created.getCmkRotationAlertDays()).isEqualTo(200);
        assertThat(changed.getCmkRotationAlertDays()).isEqualTo(30);
        assertThat(changed.getEtag()).isNotEqualTo(created.getEtag()).isEqualTo(get(project).getEtag());
        assertThat(kept.getCmkRotationAlertDays()).isEqualTo(30);
    }

    @Test
    void update_thresholdOutsideOneToTenYears_invalidArgumentNamingFieldAndNothingStored() {
        String project = Api.uniqueId("p");
        Api.projects().updateProjectEncryption(enableLocal(project));

        for (int days : new int[] {-1, 3651}) {
            assertThatThrownBy(() -> Api.projects().updateProjectEncryption(withThreshold(enableLocal(project), days)))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(Api.violatedFields(e)).containsExactly("project_encryption.cmk_rotation_alert_days");
                    });
        }
        assertThat(get(project).getCmkRotationAlertDays()).isEqualTo(365);
    }

    @Test
    void validate_cmkOlderThanProjectThreshold_opensOverdueAlert() {
        String project = Api.uniqueId("p");
        Api.projects().updateProjectEncryption(withThreshold(enableLocal(project), 30));

        clock.advance(Duration.ofDays(29));
        Api.projects().validateProjectEncryption(validate(project));
        boolean openEarly = overdueOpen(project);
        clock.advance(Duration.ofDays(2));
        Api.projects().validateProjectEncryption(validate(project));

        assertThat(openEarly).isFalse();
        assertThat(overdueOpen(project)).isTrue();
    }

    private static boolean overdueOpen(String project) {
        return Api.alerts().listAlerts(ListAlertsRequest.newBuilder().setProjectId(project).setOpenOnly(true).build())
                .getAlertsList().stream().anyMatch(alert -> alert.getType() == AlertType.CMK_ROTATION_OVERDUE);
    }

    private static UpdateProjectEncryptionRequest withThreshold(UpdateProjectEncryptionRequest request, int days) {
        return request.toBuilder().setProjectEncryption(request.getProjectEncryption().toBuilder()
                .setCmkRotationAlertDays(days)).build();
    }

    private static ProjectEncryption get(String project) {
        return Api.projects().getProjectEncryption(GetProjectEncryptionRequest.newBuilder().setProjectId(project).build());
    }

    private static ValidateProjectEncryptionRequest validate(String project) {
        return ValidateProjectEncryptionRequest.newBuilder().setProjectId(project).build();
    }
}
