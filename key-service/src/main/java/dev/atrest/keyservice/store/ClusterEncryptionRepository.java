package dev.atrest.keyservice.store;

import dev.atrest.keyservice.domain.ClusterState;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ClusterEncryptionRepository implements PanacheRepositoryBase<ClusterEncryptionEntity, Long> {

    public Optional<ClusterEncryptionEntity> find(String projectId, String clusterName) {
        return find("projectId = ?1 and clusterName = ?2", projectId, clusterName).firstResultOptional();
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

    /** When each encrypted cluster's current master key became active. */
    public List<KeyAge> masterKeyAges() {
        return getEntityManager().createQuery("select new dev.atrest.keyservice.store.KeyAge(c.projectId,"
                        + " c.clusterName, c.masterKeyActivatedTime) from ClusterEncryptionEntity c"
                        + " where c.state = ?1 and c.masterKeyActivatedTime is not null", KeyAge.class)
                .setParameter(1, ClusterState.ENABLED).getResultList();
    }
}
