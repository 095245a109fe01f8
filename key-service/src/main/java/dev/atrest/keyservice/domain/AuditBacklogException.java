package dev.atrest.keyservice.domain;

/**
 * The audit log cannot take another record now: its queue stayed full (the database is slow or down)
 * or the service is shutting down. The call that wanted to record is refused rather than done unaudited.
 */
public final class AuditBacklogException extends AtrestException {
    public AuditBacklogException(String message) {
        super(message);
    }
}
