package dev.atrest.keyservice.health;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.domain.AlertType;
import dev.atrest.keyservice.store.KeyAlertEntity;
import dev.atrest.keyservice.store.KeyAlertRepository;
import dev.atrest.keyservice.support.Api;
import dev.atrest.v1.Alert;
import dev.atrest.v1.ListAlertsRequest;
import dev.atrest.v1.ListAlertsResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ListAlerts as a client sees it: paging, the open-only filter, bad input. Alerts are stored directly here. */
@QuarkusTest
class AlertGrpcTest {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    @Inject
    KeyAlertRepository alertRows;

    @Test
    void listAlerts_pagesOfTwo_newestFirstEachAlertOnce() {
        String project = Api.uniqueId("alerts");
        Api.projects().updateProjectEncryption(enableLocal(project));
        // Two alerts opened in the same microsecond: the row id breaks the tie, so neither is lost or repeated.
        List<Long> ids = store(project, at(0), at(1), at(2), at(2), at(3));

        List<Alert> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListAlertsResponse page = Api.alerts().listAlerts(request(project).setPageSize(2).setPageToken(token).build());
            seen.addAll(page.getAlertsList());
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());

        assertThat(pages).isEqualTo(3);
        assertThat(seen).extracting(Alert::getAlertId).containsExactly(
                id(ids, 4), id(ids, 3), id(ids, 2), id(ids, 1), id(ids, 0));
        assertThat(seen).allSatisfy(alert -> assertThat(alert.getProjectId()).isEqualTo(project));
    }

    @Test
    void listAlerts_openOnly_closedAlertsLeftOut() {
        String project = Api.uniqueId("alerts");
        Api.projects().updateProjectEncryption(enableLocal(project));
        List<Long> ids = store(project, at(0), at(1));
        close(ids.get(0), at(5));

        ListAlertsResponse all = Api.alerts().listAlerts(request(project).build());
        ListAlertsResponse open = Api.alerts().listAlerts(request(project).setOpenOnly(true).build());

        assertThat(all.getAlertsList()).extracting(Alert::getOpen).containsExactly(true, false);
        assertThat(all.getAlerts(1).getClosedTime().getSeconds()).isEqualTo(at(5).getEpochSecond());
        assertThat(open.getAlertsList()).singleElement().satisfies(alert -> {
            assertThat(alert.getAlertId()).isEqualTo(Long.toString(ids.get(1)));
            assertThat(alert.getType()).isEqualTo(dev.atrest.v1.AlertType.KMS_UNREACHABLE);
            assertThat(alert.getDetail()).isEqualTo("test alert");
            assertThat(alert.hasClosedTime()).isFalse();
        });
    }

    @Test
    void listAlerts_projectNeverConfigured_notFound() {
        assertThatThrownBy(() -> Api.alerts().listAlerts(request(Api.uniqueId("nobody")).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void listAlerts_badInput_invalidArgumentNamingEachField() {
        String project = Api.uniqueId("alerts");
        Api.projects().updateProjectEncryption(enableLocal(project));
        String notAToken = Base64.getUrlEncoder().encodeToString("cluster-name".getBytes(StandardCharsets.UTF_8));

        assertBad(request("").build(), "project_id");
        assertBad(request(project).setPageSize(-1).build(), "page_size");
        assertBad(request(project).setPageSize(501).build(), "page_size");
        assertBad(request(project).setPageToken("%%%").build(), "page_token");
        assertBad(request(project).setPageToken(notAToken).build(), "page_token");
        assertThat(Api.alerts().listAlerts(request(project).setPageSize(500).build()).getAlertsList()).isEmpty();
    }

    private static void assertBad(ListAlertsRequest request, String field) {
        assertThatThrownBy(() -> Api.alerts().listAlerts(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(Api.violatedFields(e)).containsExactly(field);
                });
    }

    private List<Long> store(String project, Instant... openedTimes) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Long> ids = new ArrayList<>();
            for (Instant opened : openedTimes) {
                KeyAlertEntity row = KeyAlertEntity.of(dev.atrest.keyservice.domain.Alert.open(
                        AlertType.KMS_UNREACHABLE, project, opened, "test alert"));
                alertRows.persist(row);
                alertRows.flush();
                ids.add(row.id);
            }
            return ids;
        });
    }

    private void close(long id, Instant when) {
        QuarkusTransaction.requiringNew().run(() -> alertRows.findById(id).closedTime = when);
    }

    private static Instant at(int minutes) {
        return T0.plus(minutes, ChronoUnit.MINUTES);
    }

    private static String id(List<Long> ids, int index) {
        return Long.toString(ids.get(index));
    }

    private static ListAlertsRequest.Builder request(String project) {
        return ListAlertsRequest.newBuilder().setProjectId(project);
    }
}
