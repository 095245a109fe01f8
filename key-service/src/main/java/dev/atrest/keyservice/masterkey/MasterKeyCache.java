package dev.atrest.keyservice.masterkey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.crypto.KeyMaterial;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Unwrapped master keys in memory, so that KMS is asked once per master key and TTL, not once per
 * request. An entry lives at most {@code atrest.cache.master-key-ttl} after it was unwrapped (never
 * extended by use), and is zeroed when it expires, is evicted or invalidated — but only once no call
 * still holds a lease on it ({@link CachedMasterKey}).
 *
 * <p>On this replica a {@link KeyAccessChanged} drops the project's keys at once. Other replicas learn
 * of a change only through their own TTL: each unwraps the key again through KMS within one TTL, which
 * is at most one validation interval, so a revoked CMK stops serving keys everywhere within it.
 */
@Startup // a TTL longer than the validation interval must stop the service at start, not at the first call
@ApplicationScoped
public class MasterKeyCache {
    /** Far more than the encrypted clusters a replica serves: only a bound on memory, not a working limit. */
    private static final long MAX_KEYS = 10_000;

    private final Cache<MasterKeyId, CachedMasterKey> keys;

    @Inject
    MasterKeyCache(AtrestConfig config) {
        this(ttl(config), Ticker.systemTicker());
    }

    MasterKeyCache(Duration ttl, Ticker ticker) {
        keys = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(MAX_KEYS)
                .ticker(ticker)
                // Removes expired keys on time even when no request comes, so that they are zeroed on time.
                .scheduler(Scheduler.systemScheduler())
                // Zero on the thread that removed the entry, rather than later on a pool.
                .executor(Runnable::run)
                .removalListener((MasterKeyId id, CachedMasterKey key, RemovalCause cause) -> {
                    if (key != null) {
                        key.drop();
                    }
                })
                .build();
    }

    /**
     * The validated TTL: refused when longer than the validation interval, since a revoked CMK must stop
     * serving keys within one interval and a cached key does not ask KMS.
     */
    public static Duration ttl(AtrestConfig config) {
        return checkedTtl(config.cache().masterKeyTtl(), config.validation().interval());
    }

    public static Duration checkedTtl(Duration ttl, Duration validationInterval) {
        if (ttl.isNegative()) {
            throw new IllegalStateException("atrest.cache.master-key-ttl must not be negative (0 turns caching off)");
        }
        if (ttl.compareTo(validationInterval) > 0) {
            throw new IllegalStateException("atrest.cache.master-key-ttl (" + ttl + ") must not exceed "
                    + "atrest.validation.interval (" + validationInterval + "): a revoked CMK must stop serving "
                    + "keys within one validation interval");
        }
        return ttl;
    }

    /**
     * A lease on the master key {@code id}, unwrapped by {@code opener} (KMS) if it is not in memory;
     * concurrent first calls for one key wait for a single unwrap. Close the lease when done.
     */
    public CachedMasterKey.Lease lease(MasterKeyId id, Function<MasterKeyId, KeyMaterial> opener) {
        while (true) {
            CachedMasterKey cached = keys.get(id, missing -> new CachedMasterKey(opener.apply(missing)));
            Optional<CachedMasterKey.Lease> lease = cached.lease();
            if (lease.isPresent()) {
                return lease.get();
            }
            // Dropped and zeroed between the lookup and the lease: it is gone from the cache, so the next
            // lookup unwraps it again.
        }
    }

    public void onKeyAccessChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) KeyAccessChanged changed) {
        invalidateProject(changed.projectId());
    }

    /** Drops every master key of the project; each is zeroed as soon as no call holds it. */
    public void invalidateProject(String projectId) {
        keys.asMap().keySet().removeIf(id -> id.projectId().equals(projectId));
    }

    @PreDestroy
    public void zeroAll() {
        keys.invalidateAll();
        keys.cleanUp();
    }
}
