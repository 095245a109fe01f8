package dev.atrest.keyservice.audit;

import java.time.Instant;

/** A record waiting for the writer: the event and when it happened; its sequence and MAC come at append. */
public record PendingRecord(Instant time, AuditEvent event) {}
