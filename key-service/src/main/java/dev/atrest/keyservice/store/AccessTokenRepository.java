package dev.atrest.keyservice.store;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class AccessTokenRepository implements PanacheRepositoryBase<AccessTokenEntity, String> {
    private static final Sort NEWEST_FIRST = Sort.descending("createTime", "tokenId");

    public Optional<AccessTokenEntity> findBySha256(String tokenSha256) {
        return find("tokenSha256", tokenSha256).firstResultOptional();
    }

    /** Whether any token was ever created (tokens are revoked, never deleted). */
    public boolean anyExists() {
        return count() > 0;
    }

    /** Whether any row carries a MAC: then token integrity was set up, whatever else the database says. */
    public boolean anyWithMac() {
        return count("rowMac is not null") > 0;
    }

    /** Sets the MAC of a row that has none (the one-time upgrade of rows made before token integrity). */
    public void setMissingMac(String tokenId, byte[] rowMac) {
        update("rowMac = ?1 where tokenId = ?2 and rowMac is null", rowMac, tokenId);
    }

    public List<AccessTokenEntity> listNewestFirst(boolean includeInactive, Instant now) {
        if (includeInactive) {
            return findAll(NEWEST_FIRST).list();
        }
        return find("revokeTime is null and (expireTime is null or expireTime > ?1)", NEWEST_FIRST, now).list();
    }
}
