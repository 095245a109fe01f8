package dev.atrest.keyservice.domain;

import java.time.Instant;

/**
 * A cluster's encryption at rest as stored.
 *
 * @param masterKeyVersion the version of the master key that wraps new database keys; 0 before the first
 */
public record ClusterEncryption(
        String projectId,
        String clusterName,
        Provider provider,
        ClusterState state,
        int masterKeyVersion,
        long version,
        Instant createTime,
        Instant updateTime) {

    /** How a cluster that has never been configured reads. */
    public static ClusterEncryption neverConfigured(String projectId, String clusterName) {
        return new ClusterEncryption(projectId, clusterName, Provider.NONE, ClusterState.DISABLED, 0, 0, null, null);
    }

    public boolean encrypted() {
        return state == ClusterState.ENABLED;
    }

    public String etag() {
        return Etags.of(version);
    }
}
