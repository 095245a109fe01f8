package dev.atrest.keyservice.store;

import dev.atrest.keyservice.domain.AlertType;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class KeyAlertRepository implements PanacheRepositoryBase<KeyAlertEntity, Long> {
    private static final Sort NEWEST_FIRST = Sort.descending("openedTime", "id");

    public List<KeyAlertEntity> listOpen(String projectId) {
        return find("projectId = ?1 and closedTime is null", Sort.by("openedTime").and("id"), projectId).list();
    }

    /**
     * Up to {@code limit} alerts of the project, newest first, after the position (opened time, id)
     * of the last alert of the previous page, or from the start when {@code afterId} is null.
     */
    public List<KeyAlertEntity> page(String projectId, boolean openOnly, Instant afterOpenedTime, Long afterId,
                                     int limit) {
        StringBuilder query = new StringBuilder("projectId = :project");
        Parameters parameters = Parameters.with("project", projectId);
        if (openOnly) {
            query.append(" and closedTime is null");
        }
        if (afterId != null) {
            query.append(" and (openedTime < :time or (openedTime = :time and id < :id))");
            parameters.and("time", afterOpenedTime).and("id", afterId);
        }
        return find(query.toString(), NEWEST_FIRST, parameters).page(0, limit).list();
    }

    /** Open alerts per type across every project (types without one are absent). */
    public Map<AlertType, Long> countOpenByType() {
        Map<AlertType, Long> counts = new EnumMap<>(AlertType.class);
        getEntityManager().createQuery("select a.type, count(a) from KeyAlertEntity a"
                        + " where a.closedTime is null group by a.type", Object[].class)
                .getResultList().forEach(row -> counts.put((AlertType) row[0], (Long) row[1]));
        return counts;
    }
}
