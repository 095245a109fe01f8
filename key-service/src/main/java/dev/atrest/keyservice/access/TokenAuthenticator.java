package dev.atrest.keyservice.access;

import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.domain.AccessToken;
import dev.atrest.keyservice.domain.BearerTokens;
import dev.atrest.keyservice.domain.Caller;
import dev.atrest.keyservice.domain.UnauthenticatedException;
import dev.atrest.keyservice.store.AccessTokenRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a bearer token into a {@link Caller}. Every call hashes the token; a token verified within the
 * last {@code atrest.auth.token-cache-ttl} is not read again, so the hot path costs one SHA-256 and one
 * map lookup. Expiry is checked on every call; a revocation here removes the token from the cache at once
 * (on other replicas it is noticed when their entry ages out). Unknown tokens are not cached: a secret
 * nobody has been given cannot appear later.
 *
 * <p>A row is believed only once {@link TokenIntegrity} has checked it (its MAC, and the revocation ledger);
 * a forged or altered row is refused exactly like an unknown token, and reported. Cached tokens were checked
 * when read, so the hot path costs no MAC.
 */
@ApplicationScoped
public class TokenAuthenticator {
    private record Verified(AccessToken token, Instant readTime) {}

    private final Map<String, Verified> bySha256 = new ConcurrentHashMap<>();
    /** Longer than any start-up takes to store the bootstrap token; a call waits this long at most. */
    private static final Duration BOOTSTRAP_WAIT = Duration.ofSeconds(30);

    private final AccessTokenRepository rows;
    private final BootstrapToken bootstrap;
    private final TokenIntegrity integrity;
    private final Clock clock;
    private final Duration cacheTtl;

    TokenAuthenticator(AccessTokenRepository rows, BootstrapToken bootstrap, TokenIntegrity integrity, Clock clock,
                       AtrestConfig config) {
        this.rows = rows;
        this.bootstrap = bootstrap;
        this.integrity = integrity;
        this.clock = clock;
        this.cacheTtl = config.auth().tokenCacheTtl();
    }

    /** @throws UnauthenticatedException for a malformed, unknown, expired or revoked token */
    public Caller authenticate(String secret) {
        if (!BearerTokens.isWellFormed(secret)) {
            throw new UnauthenticatedException("malformed bearer token: expected 'atrest_' followed by 43 characters");
        }
        Instant now = clock.instant();
        String sha256 = BearerTokens.sha256Hex(secret);
        Verified verified = bySha256.get(sha256);
        if (verified == null || !now.isBefore(verified.readTime().plus(cacheTtl))) {
            verified = new Verified(read(sha256), now);
            bySha256.put(sha256, verified);
        }
        AccessToken token = verified.token();
        if (token.revoked()) {
            throw new UnauthenticatedException("revoked token " + token.tokenId());
        }
        if (token.expiredAt(now)) {
            throw new UnauthenticatedException("expired token " + token.tokenId());
        }
        return token.caller();
    }

    /** Drops the token from the cache, so that the next call reads it again. */
    void forget(String tokenId) {
        bySha256.values().removeIf(entry -> entry.token().tokenId().equals(tokenId));
    }

    private AccessToken read(String sha256) {
        if (!integrity.awaitReady(BOOTSTRAP_WAIT)) {
            throw new UnauthenticatedException("the service is still starting: retry in a moment");
        }
        Optional<AccessToken> token = find(sha256);
        if (token.isEmpty() && !bootstrap.isSettled()) {
            // The service is still storing the bootstrap token, which may be this one: wait, then look again.
            bootstrap.awaitSettled(BOOTSTRAP_WAIT);
            token = find(sha256);
        }
        return token.orElseThrow(() -> new UnauthenticatedException("unknown bearer token"));
    }

    /** The token with this hash, if its row is one the service wrote; revoked if the row or the ledger says so. */
    private Optional<AccessToken> find(String sha256) {
        integrity.refreshRevocations();
        return checkedRow(sha256);
    }

    @Transactional
    Optional<AccessToken> checkedRow(String sha256) {
        return rows.findBySha256(sha256).flatMap(integrity::check);
    }
}
