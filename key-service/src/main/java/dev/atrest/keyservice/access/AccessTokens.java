package dev.atrest.keyservice.access;

import dev.atrest.keyservice.domain.AccessToken;
import dev.atrest.keyservice.domain.BearerTokens;
import dev.atrest.keyservice.domain.InvalidArgumentException;
import dev.atrest.keyservice.domain.NewAccessToken;
import dev.atrest.keyservice.domain.NotFoundException;
import dev.atrest.keyservice.store.AccessTokenEntity;
import dev.atrest.keyservice.store.AccessTokenRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Creating, revoking and listing bearer tokens (checking them: {@link TokenAuthenticator}). */
@ApplicationScoped
public class AccessTokens {
    private final AccessTokenRepository rows;
    private final TokenAuthenticator authenticator;
    private final TokenIntegrity integrity;
    private final RevocationLedger ledger;
    private final RevocationAnchor anchor;
    private final SecureRandom random;
    private final Clock clock;

    AccessTokens(AccessTokenRepository rows, TokenAuthenticator authenticator, TokenIntegrity integrity,
                 RevocationLedger ledger, RevocationAnchor anchor, SecureRandom random, Clock clock) {
        this.rows = rows;
        this.authenticator = authenticator;
        this.integrity = integrity;
        this.ledger = ledger;
        this.anchor = anchor;
        this.random = random;
        this.clock = clock;
    }

    /** A new token with a fresh secret, created by {@code createdBy} (a principal). */
    @Transactional
    public CreatedAccessToken create(NewAccessToken request, String createdBy) {
        Instant now = clock.instant();
        String secret = BearerTokens.newSecret(random);
        AccessToken token = new AccessToken(BearerTokens.newTokenId(random), request.name(), request.role(),
                request.projectIds(), request.allProjects(), now, request.expireTime(now), null, createdBy);
        String sha256 = BearerTokens.sha256Hex(secret);
        rows.persist(AccessTokenEntity.of(token, sha256, integrity.rowMac(token, sha256)));
        return new CreatedAccessToken(token, secret);
    }

    /**
     * Revokes the token; it stops working on this replica at once. Revoking it again changes nothing.
     * The row and the revocation ledger change in one transaction; the ledger is what keeps the token
     * revoked should the row be put back as it was. The cache is cleared after the commit: cleared before,
     * a call in between could cache the old row again. The ledger's new head is then anchored outside the
     * database, so that even a clean rollback of the whole ledger shows.
     */
    public AccessToken revoke(String tokenId) {
        if (tokenId == null || tokenId.isEmpty()) {
            throw InvalidArgumentException.of("token_id", "is required");
        }
        if (tokenId.length() > 64) {
            throw InvalidArgumentException.of("token_id", "must be at most 64 characters (tokens are named tok-…)");
        }
        AccessToken revoked = revokeRow(tokenId);
        ledger.remember(tokenId, revoked.revokeTime());
        authenticator.forget(tokenId);
        anchor.anchorHead(); // never throws: a failure to write the anchor is retried, the revocation stands
        return revoked;
    }

    @Transactional(TxType.REQUIRES_NEW)
    AccessToken revokeRow(String tokenId) {
        AccessTokenEntity row = rows.findByIdOptional(tokenId)
                .orElseThrow(() -> new NotFoundException("no access token " + tokenId));
        if (row.revokeTime == null) {
            row.revokeTime = clock.instant();
        }
        ledger.append(tokenId, row.revokeTime);
        return row.toDomain();
    }

    /** The tokens the service created (a row that fails its MAC is left out, and reported), newest first. */
    @Transactional
    public List<AccessToken> list(boolean includeInactive) {
        Instant now = clock.instant();
        integrity.refreshRevocations();
        return rows.listNewestFirst(includeInactive, now).stream().map(integrity::check).flatMap(Optional::stream)
                .filter(token -> includeInactive || token.activeAt(now)).toList();
    }
}
