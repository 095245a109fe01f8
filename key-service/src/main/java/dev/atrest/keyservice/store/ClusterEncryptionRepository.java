package dev.atrest.keyservice.store;

import dev.atrest.keyservice.domain.ClusterState;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ClusterEncryptionRepository implements PanacheRepositoryBase<ClusterEncryptionEntity, Long> {

    public Optional<ClusterEncryptionEntity> find(String projectId, String clusterName) {
        return find("projectId = ?1 and clusterName = ?2", projectId, clusterName).firstResultOptional();
    }

    /**
     * Reads the cluster row with a write lock; callers hold the project's lock first (the one lock order
     * every writer follows).
     */
    public Optional<ClusterEncryptionEntity> lock(String projectId, String clusterName) {
        return find("projectId = ?1 and clusterName = ?2", projectId, clusterName)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /**
     * Reads the cluster row with a shared lock: a new database key is created under the master-key
     * version read this way, so a rotation cannot retire that version before the key is stored.
     */
    public Optional<ClusterEncryptionEntity> lockShared(String projectId, String clusterName) {
        return find("projectId = ?1 and clusterName = ?2", projectId, clusterName)
                .withLock(LockModeType.PESSIMISTIC_READ).firstResultOptional();
    }

    /** Clusters a rotation check must look at: every encrypted one, and any with a re-wrap unfinished. */
    public List<ClusterEncryptionEntity> rotationCandidates() {
        return list("state = ?1 or rotationStartedTime is not null", Sort.by("projectId").and("clusterName"),
                ClusterState.ENABLED);
    }

    /** Names of the project's encrypted clusters, in order. */
    public List<String> encryptedClusterNames(String projectId) {
        return getEntityManager().createQuery("select c.clusterName from ClusterEncryptionEntity c"
                        + " where c.projectId = ?1 and c.state = ?2 order by c.clusterName", String.class)
                .setParameter(1, projectId).setParameter(2, ClusterState.ENABLED).getResultList();
    }

    /** Up to {@code limit} clusters of the project named after {@code afterName}, in name order. */
    public List<ClusterEncryptionEntity> page(String projectId, String afterName, int limit) {
        return find("projectId = ?1 and clusterName > ?2", Sort.by("clusterName"), projectId, afterName)
                .page(0, limit).list();
    }
}
