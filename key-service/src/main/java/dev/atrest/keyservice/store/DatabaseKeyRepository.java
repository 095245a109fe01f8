package dev.atrest.keyservice.store;

import dev.atrest.keyservice.domain.KeyState;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class DatabaseKeyRepository implements PanacheRepositoryBase<DatabaseKeyEntity, Long> {

    public List<DatabaseKeyEntity> listByCluster(String projectId, String clusterName) {
        return find("projectId = ?1 and clusterName = ?2", Sort.by("databaseName").and("version"),
                projectId, clusterName).list();
    }

    public Optional<DatabaseKeyEntity> findLatest(String projectId, String clusterName, String databaseName) {
        return find("projectId = ?1 and clusterName = ?2 and databaseName = ?3", Sort.descending("version"),
                projectId, clusterName, databaseName).firstResultOptional();
    }

    public Optional<DatabaseKeyEntity> findVersion(String projectId, String clusterName, String databaseName,
                                                   int version) {
        return find("projectId = ?1 and clusterName = ?2 and databaseName = ?3 and version = ?4",
                projectId, clusterName, databaseName, version).firstResultOptional();
    }

    public List<DatabaseKeyEntity> listWrappedBy(String projectId, String clusterName, int masterKeyVersion) {
        return find("projectId = ?1 and clusterName = ?2 and masterKeyVersion = ?3", Sort.by("id"),
                projectId, clusterName, masterKeyVersion).list();
    }

    /** Retires the database's active key versions below {@code version}: at most one, the one it replaces. */
    public int retireActiveBelow(String projectId, String clusterName, String databaseName, int version,
                                 Instant now) {
        return update("state = ?1, updateTime = ?2 where projectId = ?3 and clusterName = ?4 and databaseName = ?5"
                        + " and version < ?6 and state = ?7", KeyState.RETIRED, now, projectId, clusterName,
                databaseName, version, KeyState.ACTIVE);
    }
}
