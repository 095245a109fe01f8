package dev.atrest.keyservice.store;

import java.time.Instant;

/**
 * Since when a key has been in force: a project's CMK ({@code clusterName} null) or a cluster's
 * current master key. Read for the age metrics only.
 */
public record KeyAge(String projectId, String clusterName, Instant since) {

    public KeyAge(String projectId, Instant since) {
        this(projectId, null, since);
    }
}
