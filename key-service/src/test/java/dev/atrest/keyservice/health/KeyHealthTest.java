package dev.atrest.keyservice.health;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.cmkchange.KeyHealthChecks;
import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.TestClock;
import dev.atrest.v1.Alert;
import dev.atrest.v1.AlertType;
import dev.atrest.v1.DisableProjectEncryptionRequest;
import dev.atrest.v1.ListAlertsRequest;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.ValidateProjectEncryptionRequest;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Health checks with the LOCAL provider and the test clock: the CMK-age alert, and the job's idempotence. */
@QuarkusTest
class KeyHealthTest {
    private static final Duration OVER_A_YEAR = Duration.ofDays(366);

    @Inject
    TestClock clock;

    @Inject
    KeyHealth health;

    @Inject
    KeyHealthChecks job;

    @Test
    void check_cmkUnchangedFor366Days_rotationOverdueOpens() {
        String project = Api.uniqueId("age");
        Api.projects().updateProjectEncryption(enableLocal(project, "first"));
        health.check(project);
        assertThat(alerts(project)).isEmpty();

        clock.advance(OVER_A_YEAR);
        health.check(project);

        assertThat(alerts(project)).singleElement().satisfies(alert -> {
            assertThat(alert.getType()).isEqualTo(AlertType.CMK_ROTATION_OVERDUE);
            assertThat(alert.getOpen()).isTrue();
            assertThat(alert.getDetail()).contains("365 days");
        });
    }

    @Test
    void validate_afterCmkChange_rotationOverdueClosedAndProjectStillValid() {
        String project = Api.uniqueId("age");
        Api.projects().updateProjectEncryption(enableLocal(project, "first"));
        clock.advance(OVER_A_YEAR);
        health.check(project);

        Api.projects().updateProjectEncryption(enableLocal(project, "second")); // a new LOCAL key is a CMK change
        ProjectEncryption validated = Api.projects().validateProjectEncryption(
                ValidateProjectEncryptionRequest.newBuilder().setProjectId(project).build());

        assertThat(validated.getValid()).isTrue();
        assertThat(alerts(project)).singleElement().satisfies(alert -> {
            assertThat(alert.getType()).isEqualTo(AlertType.CMK_ROTATION_OVERDUE);
            assertThat(alert.getOpen()).isFalse();
            assertThat(alert.hasClosedTime()).isTrue();
            assertThat(alert.getClosedTime().getSeconds()).isGreaterThanOrEqualTo(alert.getOpenedTime().getSeconds());
        });
    }

    @Test
    void run_twice_secondRunOpensAndClosesNothing() {
        String project = Api.uniqueId("age");
        Api.projects().updateProjectEncryption(enableLocal(project));
        clock.advance(OVER_A_YEAR);

        KeyHealthChecks.Summary first = job.run();
        List<Alert> afterFirst = alerts(project);
        KeyHealthChecks.Summary second = job.run();

        assertThat(first.checked()).isPositive();
        assertThat(first.failed()).isZero();
        assertThat(second.failed()).isZero();
        assertThat(afterFirst).singleElement().satisfies(alert -> assertThat(alert.getOpen()).isTrue());
        assertThat(alerts(project)).isEqualTo(afterFirst);
    }

    @Test
    void disable_projectWithOpenAlert_alertClosed() {
        String project = Api.uniqueId("age");
        Api.projects().updateProjectEncryption(enableLocal(project));
        clock.advance(OVER_A_YEAR);
        health.check(project);

        Api.projects().disableProjectEncryption(DisableProjectEncryptionRequest.newBuilder().setProjectId(project).build());

        assertThat(alerts(project)).singleElement().satisfies(alert -> {
            assertThat(alert.getOpen()).isFalse();
            assertThat(alert.hasClosedTime()).isTrue();
        });
    }

    private static List<Alert> alerts(String project) {
        return Api.alerts().listAlerts(ListAlertsRequest.newBuilder().setProjectId(project).setPageSize(500).build())
                .getAlertsList();
    }
}
