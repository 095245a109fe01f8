package dev.atrest.keyservice.health;

import dev.atrest.keyservice.domain.Alert;
import dev.atrest.keyservice.grpc.Timestamps;
import dev.atrest.v1.AlertType;
import dev.atrest.v1.ListAlertsResponse;

/** Alert messages from the domain. */
final class AlertMessages {
    private AlertMessages() {}

    static ListAlertsResponse toMessage(AlertPage page) {
        ListAlertsResponse.Builder response = ListAlertsResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.alerts().forEach(item -> response.addAlerts(toMessage(item.id(), item.alert())));
        return response.build();
    }

    static dev.atrest.v1.Alert toMessage(long id, Alert alert) {
        var message = dev.atrest.v1.Alert.newBuilder()
                .setAlertId(Long.toString(id))
                .setProjectId(alert.projectId())
                .setType(toMessage(alert.type()))
                .setOpen(alert.isOpen())
                .setDetail(alert.detail() == null ? "" : alert.detail());
        Timestamps.set(alert.openedTime(), message::setOpenedTime);
        Timestamps.set(alert.closedTime(), message::setClosedTime);
        return message.build();
    }

    private static AlertType toMessage(dev.atrest.keyservice.domain.AlertType type) {
        return switch (type) {
            case CMK_ROTATION_OVERDUE -> AlertType.CMK_ROTATION_OVERDUE;
            case KEY_INVALID -> AlertType.KEY_INVALID;
            case KMS_UNREACHABLE -> AlertType.KMS_UNREACHABLE;
        };
    }
}
