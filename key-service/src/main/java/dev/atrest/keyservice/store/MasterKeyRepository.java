package dev.atrest.keyservice.store;

import dev.atrest.keyservice.domain.KeyState;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
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

    /** The project's master keys that still have material and are wrapped by an older root-key generation. */
    public List<MasterKeyEntity> listLiveBeforeGeneration(String projectId, int generation) {
        return find("projectId = ?1 and state <> ?2 and rootKeyGeneration < ?3",
                Sort.by("clusterName").and("version"), projectId, KeyState.DESTROYED, generation).list();
    }

    /** How many of those ({@link #listLiveBeforeGeneration}) there are, without loading them. */
    public long countLiveBeforeGeneration(String projectId, int generation) {
        return count("projectId = ?1 and state <> ?2 and rootKeyGeneration < ?3", projectId, KeyState.DESTROYED,
                generation);
    }

    /** How many of the project's master keys still have material. */
    public long countLiveByProject(String projectId) {
        return count("projectId = ?1 and state <> ?2", projectId, KeyState.DESTROYED);
    }

    public Optional<MasterKeyEntity> lockById(long id) {
        return find("id", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }
}
