package dev.atrest.keyservice.store;

import dev.atrest.keyservice.domain.KeyState;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class MasterKeyRepository implements PanacheRepositoryBase<MasterKeyEntity, Long> {

    public List<MasterKeyEntity> listByCluster(String projectId, String clusterName) {
        return find("projectId = ?1 and clusterName = ?2", Sort.descending("version"), projectId, clusterName).list();
    }

    public Optional<MasterKeyEntity> findVersion(String projectId, String clusterName, int version) {
        return find("projectId = ?1 and clusterName = ?2 and version = ?3", projectId, clusterName, version)
                .firstResultOptional();
    }

    /** Every master key of the project that still has material: these must follow a CMK change. */
    public List<MasterKeyEntity> listLiveByProject(String projectId) {
        return find("projectId = ?1 and state <> ?2", Sort.by("clusterName").and("version"),
                projectId, KeyState.DESTROYED).list();
    }
}
