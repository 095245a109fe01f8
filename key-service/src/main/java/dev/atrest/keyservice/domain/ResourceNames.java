package dev.atrest.keyservice.domain;


/**
 * The names a request addresses a cluster or snapshot by, checked in one place so that every capability that
 * takes them (clusters, rotation, snapshots) refuses the same input with the same field names.
 */
public final class ResourceNames {
    private ResourceNames() {}

    /** @throws InvalidArgumentException naming every field that breaks the identifier rule */
    public static void requireCluster(String projectId, String clusterName) {
        Violations violations = new Violations();
        InputRules.requireId(violations, "project_id", projectId);
        InputRules.requireId(violations, "cluster_name", clusterName);
        violations.throwIfAny();
    }

    /** @throws InvalidArgumentException naming every field that breaks the identifier rule */
    public static void requireSnapshot(String projectId, String clusterName, String snapshotId) {
        Violations violations = new Violations();
        InputRules.requireId(violations, "project_id", projectId);
        InputRules.requireId(violations, "cluster_name", clusterName);
        InputRules.requireId(violations, "snapshot_id", snapshotId);
        violations.throwIfAny();
    }
}
