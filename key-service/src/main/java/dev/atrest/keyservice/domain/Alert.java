package dev.atrest.keyservice.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One alert about a project's keys, open or closed. Closed alerts are kept so that ListAlerts can show
 * the history.
 *
 * @param closedTime null while the alert is open
 * @param detail     why, in words (KMS's reason, the CMK's age); never a secret
 */
public record Alert(AlertType type, String projectId, Instant openedTime, Instant closedTime, String detail) {

    public Alert {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(openedTime, "openedTime");
        if (closedTime != null && closedTime.isBefore(openedTime)) {
            throw new IllegalArgumentException("an alert cannot close before it opens");
        }
    }

    public static Alert open(AlertType type, String projectId, Instant now, String detail) {
        return new Alert(type, projectId, now, null, detail);
    }

    public boolean isOpen() {
        return closedTime == null;
    }

    /** This alert closed at {@code now}; an alert already closed keeps its first closing time. */
    public Alert closedAt(Instant now) {
        return isOpen() ? new Alert(type, projectId, openedTime, now, detail) : this;
    }
}
