package dev.atrest.keyservice.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A registered snapshot of a cluster and the key versions it was taken under. While it is live (registered
 * and not released) none of those versions may be destroyed; releasing it deletes it and lets them go.
 * Versions are per cluster, so every question names the project and cluster too.
 *
 * @param databaseKeyVersions database name → the database-key version its data is encrypted with
 */
public record Snapshot(String id, String projectId, String clusterName, int masterKeyVersion,
                       Map<String, Integer> databaseKeyVersions, Instant createTime) {

    public Snapshot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(createTime, "createTime");
        if (masterKeyVersion < 1) {
            throw new IllegalArgumentException("a snapshot needs a master-key version of at least 1");
        }
        databaseKeyVersions = Map.copyOf(databaseKeyVersions);
        if (databaseKeyVersions.values().stream().anyMatch(version -> version < 1)) {
            throw new IllegalArgumentException("database-key versions start at 1");
        }
    }

    public boolean ofCluster(String projectId, String clusterName) {
        return this.projectId.equals(projectId) && this.clusterName.equals(clusterName);
    }

    public boolean needsMasterKey(String projectId, String clusterName, int version) {
        return ofCluster(projectId, clusterName) && masterKeyVersion == version;
    }

    public boolean needsDatabaseKey(String projectId, String clusterName, String databaseName, int version) {
        return ofCluster(projectId, clusterName) && Integer.valueOf(version).equals(databaseKeyVersions.get(databaseName));
    }

    /** The ids of the {@code live} snapshots that need a cluster's master-key {@code version}. */
    public static Set<String> needingMasterKey(
            Collection<Snapshot> live, String projectId, String clusterName, int version) {
        return live.stream().filter(s -> s.needsMasterKey(projectId, clusterName, version))
                .map(Snapshot::id).collect(Collectors.toUnmodifiableSet());
    }

    /** The ids of the {@code live} snapshots that need a database's key {@code version}. */
    public static Set<String> needingDatabaseKey(
            Collection<Snapshot> live, String projectId, String clusterName, String databaseName, int version) {
        return live.stream().filter(s -> s.needsDatabaseKey(projectId, clusterName, databaseName, version))
                .map(Snapshot::id).collect(Collectors.toUnmodifiableSet());
    }
}
