package dev.atrest.terraform.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import com.google.rpc.Code;
import dev.atrest.terraform.provider.AttributePaths;
import dev.atrest.terraform.provider.Diagnostics;
import dev.atrest.v1.Alert;
import dev.atrest.v1.AlertType;
import dev.atrest.v1.ListAlertsRequest;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AlertsDataSourceTest {

    private final AlertsDataSource dataSource = new AlertsDataSource();
    private final FakeKeyService service;
    private final Diagnostics diagnostics = new Diagnostics();

    AlertsDataSourceTest() throws Exception {
        service = new FakeKeyService();
    }

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void validate_invalidProjectId_errorOnProjectId() {
        dataSource.validate(TerraformValues.of(AlertsDataSource.SCHEMA, "project_id", "-bad"), diagnostics);

        assertThat(diagnostics.asList()).singleElement().satisfies(d ->
                assertThat(AttributePaths.dotted(d.getAttribute())).isEqualTo("project_id"));
    }

    @Test
    void read_moreAlertsThanOnePage_allOfThemInServiceOrder() {
        service.alerts.put("p1", IntStream.range(0, 5).mapToObj(i -> alert("a" + i, i % 2 == 0)).toList());

        List<Map<String, Object>> alerts = alerts(read("p1", null));

        assertThat(alerts).extracting(alert -> alert.get("alert_id")).containsExactly("a0", "a1", "a2", "a3", "a4");
        assertThat(service.alertRequests).hasSize(3);
    }

    @Test
    void read_openAndClosedAlert_mappedWithClosedTimeNullWhileOpen() {
        service.alerts.put("p1", List.of(alert("open-1", true), alert("closed-1", false)));

        List<Map<String, Object>> alerts = alerts(read("p1", null));

        assertThat(alerts.get(0)).containsEntry("type", "CMK_ROTATION_OVERDUE").containsEntry("open", true)
                .containsEntry("detail", "CMK unchanged for 400 days, more than 365 days")
                .containsEntry("opened_time", "2026-09-21T14:13:20Z").containsEntry("closed_time", null);
        assertThat(alerts.get(1)).containsEntry("open", false).containsEntry("closed_time", "2026-09-22T14:13:20Z");
    }

    @Test
    void read_openOnly_askedOfTheServiceAndKeptInState() {
        service.alerts.put("p1", List.of(alert("open-1", true), alert("closed-1", false)));

        Map<String, Object> state = read("p1", true);

        assertThat(alerts(state)).extracting(alert -> alert.get("alert_id")).containsExactly("open-1");
        assertThat(state).containsEntry("open_only", true).containsEntry("id", "p1");
        assertThat(service.alertRequests).extracting(ListAlertsRequest::getOpenOnly).containsExactly(true);
    }

    @Test
    void read_projectWithoutAlerts_emptyList() {
        assertThat(alerts(read("fresh", null))).isEmpty();
        assertThat(diagnostics.asList()).isEmpty();
    }

    @Test
    void read_serviceWithoutListAlerts_errorSayingToUpgradeTheService() {
        service.failNext(Code.UNIMPLEMENTED, "Method not found: atrest.v1.AlertService/ListAlerts");

        assertThat(read("p1", null)).isNull();
        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(d.getSummary()).isEqualTo("cannot list alerts of project p1");
            assertThat(d.getDetail()).contains("ListAlerts", "Upgrade the key service");
        });
    }

    private Map<String, Object> read(String projectId, Boolean openOnly) {
        return dataSource.read(TerraformValues.of(AlertsDataSource.SCHEMA, "project_id", projectId, "open_only", openOnly),
                service.client, diagnostics);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> alerts(Map<String, Object> state) {
        return (List<Map<String, Object>>) state.get("alerts");
    }

    private static Alert alert(String id, boolean open) {
        Alert.Builder alert = Alert.newBuilder().setAlertId(id).setProjectId("p1")
                .setType(AlertType.CMK_ROTATION_OVERDUE).setOpen(open)
                .setDetail("CMK unchanged for 400 days, more than 365 days")
                .setOpenedTime(Timestamp.newBuilder().setSeconds(FakeKeyService.NOW_SECONDS));
        if (!open) {
            alert.setClosedTime(Timestamp.newBuilder().setSeconds(FakeKeyService.NOW_SECONDS + 86_400));
        }
        return alert.build();
    }
}
