package dev.atrest.keyservice.store;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

@ApplicationScoped
public class SnapshotRepository implements PanacheRepositoryBase<SnapshotEntity, Long> {
    private static final Sort NEWEST_FIRST = Sort.descending("createTime", "snapshotId");

    public Optional<SnapshotEntity> find(String projectId, String clusterName, String snapshotId) {
        return find("projectId = ?1 and clusterName = ?2 and snapshotId = ?3", projectId, clusterName, snapshotId)
                .firstResultOptional();
    }

    /** Up to {@code limit} snapshots of the cluster, newest first. */
    public List<SnapshotEntity> firstPage(String projectId, String clusterName, int limit) {
        return find("projectId = ?1 and clusterName = ?2", NEWEST_FIRST, projectId, clusterName)
                .page(0, limit).list();
    }

    /** Up to {@code limit} snapshots that come after ({@code createTime}, {@code snapshotId}), newest first. */
    public List<SnapshotEntity> pageAfter(String projectId, String clusterName, Instant createTime, String snapshotId,
                                          int limit) {
        return find("projectId = ?1 and clusterName = ?2"
                        + " and (createTime < ?3 or (createTime = ?3 and snapshotId < ?4))",
                NEWEST_FIRST, projectId, clusterName, createTime, snapshotId).page(0, limit).list();
    }

    /** The ids of the live snapshots that recorded master-key {@code version} of the cluster. */
    public Set<String> idsNeedingMasterKey(String projectId, String clusterName, int version) {
        return new TreeSet<>(getEntityManager().createQuery("select s.snapshotId from SnapshotEntity s"
                        + " where s.projectId = ?1 and s.clusterName = ?2 and s.masterKeyVersion = ?3", String.class)
                .setParameter(1, projectId).setParameter(2, clusterName).setParameter(3, version).getResultList());
    }
}
