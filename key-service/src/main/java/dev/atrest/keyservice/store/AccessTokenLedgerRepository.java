package dev.atrest.keyservice.store;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;

/** The revocation ledger's entries and its head. */
@ApplicationScoped
public class AccessTokenLedgerRepository implements PanacheRepositoryBase<AccessTokenRevocationEntity, Long> {

    /** The head, or null when its row is gone; with {@code lock}, held until the transaction ends (appenders take turns). */
    public AccessTokenLedgerHeadEntity head(boolean lock) {
        return getEntityManager().find(AccessTokenLedgerHeadEntity.class, AccessTokenLedgerHeadEntity.ONLY_ROW,
                lock ? LockModeType.PESSIMISTIC_WRITE : LockModeType.NONE);
    }

    /** Entries after {@code after} up to {@code upTo}, in order. */
    public List<AccessTokenRevocationEntity> between(long after, long upTo) {
        return find("sequence > ?1 and sequence <= ?2", Sort.by("sequence"), after, upTo).list();
    }

    public boolean names(String tokenId) {
        return count("tokenId", tokenId) > 0;
    }
}
