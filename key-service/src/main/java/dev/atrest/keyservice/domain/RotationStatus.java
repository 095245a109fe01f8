package dev.atrest.keyservice.domain;

import java.time.Instant;

/**
 * How a cluster's master-key rotation stands, computed from what is stored.
 *
 * @param masterKeyVersion the version that wraps new database keys (the target while a rotation runs)
 * @param rewrappedKeys    live database keys wrapped by that version
 * @param totalKeys        all live database keys of the cluster
 * @param startedTime      when the rotation in progress started; null when none is
 * @param lastError        why the last attempt to continue it failed; null if it did not
 */
public record RotationStatus(String projectId, String clusterName, boolean inProgress, int masterKeyVersion,
                             long rewrappedKeys, long totalKeys, Instant startedTime, Instant lastRotationTime,
                             Instant nextRotationTime, RotationPolicy policy, String lastError) {}
