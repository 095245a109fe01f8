package dev.atrest.keyservice.audit;

import dev.atrest.keyservice.domain.Caller;
import java.util.Objects;

/**
 * One thing that happened, as the audit log records it. Never a key byte or a secret in any field.
 *
 * @param actor    {@link dev.atrest.keyservice.domain.Caller#principal()}, "anonymous" or "service"
 * @param action   the full gRPC method name ("atrest.v1.DatabaseKeyService/GetDatabaseKey") or a job's
 *                 event ("rotation.completed", "cmk.check")
 * @param resource "projects/p1", "projects/p1/clusters/c1", "projects/p1/clusters/c1/databases/d1",
 *                 "tokens/tok-…", or "" when the call named none
 * @param outcome  "OK", a gRPC status code name ("PERMISSION_DENIED"), or a job's result
 * @param detail   more words (versions, the reason of a refusal); may be empty
 */
public record AuditEvent(String actor, String action, String resource, String outcome, String detail) {
    public AuditEvent {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        resource = resource == null ? "" : resource;
        Objects.requireNonNull(outcome, "outcome");
        detail = detail == null ? "" : detail;
    }

    /** An event of the service's own jobs (rotation, CMK checks, retention): the actor is "service". */
    public static AuditEvent byService(String action, String resource, String outcome, String detail) {
        return new AuditEvent(Caller.SERVICE, action, resource, outcome, detail);
    }

    public static String project(String projectId) {
        return "projects/" + projectId;
    }

    public static String cluster(String projectId, String clusterName) {
        return project(projectId) + "/clusters/" + clusterName;
    }

    public static String database(String projectId, String clusterName, String databaseName) {
        return cluster(projectId, clusterName) + "/databases/" + databaseName;
    }
}
