package dev.atrest.keyservice.domain;

import java.time.Instant;

/**
 * A cluster's encryption at rest as stored.
 *
 * @param masterKeyVersion       the version of the master key that wraps new database keys; 0 before the first
 * @param masterKeyActivatedTime when that version became the current one; null before the first
 * @param lastRotationTime       when the last rotation finished re-wrapping; null if the key never rotated
 * @param rotationInProgress     whether database keys are still being re-wrapped under the current version
 * @param generation             the incarnation of the cluster's encryption: 0 while never encrypted, +1 at
 *                               each enable from DISABLED (see {@link EncryptionRules#generationAfterEnable})
 */
public record ClusterEncryption(
        String projectId,
        String clusterName,
        Provider provider,
        ClusterState state,
        int masterKeyVersion,
        long version,
        Instant createTime,
        Instant updateTime,
        RotationPolicy rotationPolicy,
        Instant masterKeyActivatedTime,
        Instant lastRotationTime,
        boolean rotationInProgress,
        long generation) {

    /** How a cluster that has never been configured reads. */
    public static ClusterEncryption neverConfigured(String projectId, String clusterName) {
        return new ClusterEncryption(projectId, clusterName, Provider.NONE, ClusterState.DISABLED, 0, 0, null, null,
                RotationPolicy.DEFAULT, null, null, false, 0);
    }

    public boolean encrypted() {
        return state == ClusterState.ENABLED;
    }

    /** When the current master key becomes due for rotation; null while the cluster is not encrypted. */
    public Instant nextRotationTime() {
        return encrypted() && masterKeyActivatedTime != null
                ? rotationPolicy.nextRotationTime(masterKeyActivatedTime) : null;
    }

    public String etag() {
        return Etags.of(version);
    }
}
