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

    /**
     * How many live master keys of root-key generation {@code generation} are wrapped under another key
     * than {@code keyId}: an alias that moved leaves the keys made before the move under its old target.
     */
    public long countLiveInGenerationNotUnder(String projectId, int generation, String keyId) {
        return count("projectId = ?1 and state <> ?2 and rootKeyGeneration = ?3 and wrappingKeyId <> ?4",
                projectId, KeyState.DESTROYED, generation, keyId);
    }

    /** How many of the project's master keys still have material. */
    public long countLiveByProject(String projectId) {
        return count("projectId = ?1 and state <> ?2", projectId, KeyState.DESTROYED);
    }

    /**
     * Each distinct root key wrapping a live master key of the project (one that still has material and
     * must open), by generation; what a health check proves usable.
     */
    public List<WrappingKeyUse> wrappingKeysInUse(String projectId) {
        return getEntityManager().createQuery("select new dev.atrest.keyservice.store.WrappingKeyUse("
                + "m.rootKeyGeneration, m.wrappingProvider, m.wrappingKeyId, count(m)) from MasterKeyEntity m"
                + " where m.projectId = ?1 and m.state <> ?2 and m.wrappedKey is not null"
                + " group by m.rootKeyGeneration, m.wrappingProvider, m.wrappingKeyId"
                + " order by m.rootKeyGeneration, m.wrappingKeyId", WrappingKeyUse.class)
                .setParameter(1, projectId).setParameter(2, KeyState.DESTROYED).getResultList();
    }

    public Optional<MasterKeyEntity> lockById(long id) {
        return find("id", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }
}
