package dev.atrest.terraform.resources;

import static dev.atrest.terraform.wire.Attribute.computed;
import static dev.atrest.terraform.wire.Attribute.optional;
import static dev.atrest.terraform.wire.Attribute.required;

import dev.atrest.terraform.provider.AtrestClient;
import dev.atrest.terraform.provider.DataSource;
import dev.atrest.terraform.provider.Diagnostics;
import dev.atrest.terraform.provider.ServiceErrors;
import dev.atrest.terraform.provider.ServiceRetry;
import dev.atrest.terraform.wire.Block;
import dev.atrest.terraform.wire.CtyType;
import dev.atrest.terraform.wire.Values;
import dev.atrest.v1.Alert;
import dev.atrest.v1.ListAlertsRequest;
import dev.atrest.v1.ListAlertsResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code data.atrest_alerts}: a project's key alerts (CMK overdue, key invalid, KMS unreachable), newest first. */
public final class AlertsDataSource implements DataSource {

    /** The contract's largest page: a project has few alerts, so this is nearly always one call. */
    private static final int PAGE_SIZE = 500;

    private static final CtyType ALERT = CtyType.objectOf(Map.of("alert_id", CtyType.STRING, "type", CtyType.STRING,
            "open", CtyType.BOOL, "detail", CtyType.STRING, "opened_time", CtyType.STRING,
            "closed_time", CtyType.STRING));

    static final Block SCHEMA = Block.of("Lists a project's alerts about its keys, newest first. The key service "
            + "opens and closes them itself, on its periodic root-key checks and when the root key changes.", List.of(
            required("project_id", CtyType.STRING, "The project."),
            optional("open_only", CtyType.BOOL, "Only the alerts still open. Default false: open and closed."),
            computed("id", CtyType.STRING, "The project id."),
            computed("alerts", CtyType.listOf(ALERT), "`alert_id`, `type` (`CMK_ROTATION_OVERDUE`, `KEY_INVALID`, "
                    + "`KMS_UNREACHABLE`), `open`, `detail`, `opened_time`, `closed_time` (null while open).")));

    @Override
    public String typeName() {
        return "atrest_alerts";
    }

    @Override
    public Block schema() {
        return SCHEMA;
    }

    @Override
    public void validate(Map<String, Object> config, Diagnostics diagnostics) {
        IdentifierRules.check(config, "project_id", "project_id", diagnostics);
    }

    @Override
    public Map<String, Object> read(Map<String, Object> config, AtrestClient client, Diagnostics diagnostics) {
        String projectId = Values.string(config, "project_id");
        try {
            Map<String, Object> state = new LinkedHashMap<>(config);
            state.put("id", projectId);
            state.put("alerts", list(projectId, Values.bool(config, "open_only"), client));
            return state;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                diagnostics.error("cannot list alerts of project " + projectId, "the key service at "
                        + client.endpoint() + " does not offer atrest.v1.AlertService/ListAlerts: it is older than "
                        + "this provider. Upgrade the key service to read alerts.");
            } else {
                ServiceErrors.report("list alerts of project " + projectId, e,
                        ProjectEncryptionMapping.errorMapping(null), client.endpoint(), diagnostics);
            }
            return null;
        }
    }

    private static List<Object> list(String projectId, boolean openOnly, AtrestClient client) {
        List<Object> alerts = new ArrayList<>();
        String pageToken = "";
        do {
            ListAlertsRequest request = ListAlertsRequest.newBuilder().setProjectId(projectId)
                    .setOpenOnly(openOnly).setPageSize(PAGE_SIZE).setPageToken(pageToken).build();
            ListAlertsResponse page = ServiceRetry.read(client, () -> client.alerts().listAlerts(request));
            page.getAlertsList().forEach(alert -> alerts.add(alert(alert)));
            pageToken = page.getNextPageToken();
        } while (!pageToken.isEmpty());
        return alerts;
    }

    private static Map<String, Object> alert(Alert alert) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("alert_id", alert.getAlertId());
        // A type newer than this provider reads as UNSPECIFIED rather than failing the whole read.
        object.put("type", switch (alert.getType()) {
            case CMK_ROTATION_OVERDUE, KEY_INVALID, KMS_UNREACHABLE -> alert.getType().name();
            default -> "UNSPECIFIED";
        });
        object.put("open", alert.getOpen());
        object.put("detail", ServiceText.orNull(alert.getDetail()));
        object.put("opened_time", ServiceText.time(alert.getOpenedTime()));
        object.put("closed_time", ServiceText.time(alert.getClosedTime()));
        return object;
    }
}
