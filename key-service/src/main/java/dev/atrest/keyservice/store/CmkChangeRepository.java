package dev.atrest.keyservice.store;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class CmkChangeRepository implements PanacheRepositoryBase<CmkChangeEntity, String> {

    public List<String> unfinishedProjectIds() {
        return getEntityManager().createQuery("select c.projectId from CmkChangeEntity c order by c.startedTime",
                String.class).getResultList();
    }
}
