package dev.atrest.keyservice.store;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ProjectEncryptionRepository implements PanacheRepositoryBase<ProjectEncryptionEntity, Long> {

    public Optional<ProjectEncryptionEntity> findByProjectId(String projectId) {
        return find("projectId", projectId).firstResultOptional();
    }

    /**
     * Reads the project row with a write lock. Every change to a project or its clusters takes this
     * lock first, so a project disable and a cluster enable can never both pass their checks.
     */
    public Optional<ProjectEncryptionEntity> lockByProjectId(String projectId) {
        return find("projectId", projectId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** Ids of the projects whose encryption is enabled, in order: each has a CMK to check. */
    public List<String> enabledProjectIds() {
        return getEntityManager().createQuery("select p.projectId from ProjectEncryptionEntity p"
                + " where p.enabled = true order by p.projectId", String.class).getResultList();
    }

    /** When each enabled project's CMK last changed. */
    public List<KeyAge> cmkAges() {
        return getEntityManager().createQuery("select new dev.atrest.keyservice.store.KeyAge(p.projectId,"
                + " p.cmkLastChangedTime) from ProjectEncryptionEntity p"
                + " where p.enabled = true and p.cmkLastChangedTime is not null", KeyAge.class).getResultList();
    }
}
