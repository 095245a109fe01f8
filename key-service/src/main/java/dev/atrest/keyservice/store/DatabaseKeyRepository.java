package dev.atrest.keyservice.store;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
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
}
