package dev.atrest.keyservice.datakey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.masterkey.KeyAccessChanged;
import dev.atrest.keyservice.masterkey.MasterKeyCache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What a release needs from the database, kept in memory so that a repeated GetDatabaseKey asks none:
 * which clusters may release keys (encrypted, their project's CMK valid at the last check) and the
 * stored, wrapped database keys. Entries live at most {@code atrest.cache.master-key-ttl}, like the
 * master keys. Refusals are never kept: a cluster enabled or a CMK found valid again serves at once; nor
 * is a stored key that failed to open ({@link #forget}): a repaired row serves at the next call.
 *
 * <p>A {@link KeyAccessChanged} drops the project's entries on this replica after its transaction
 * commits. Each project also has an epoch that the change advances and every entry's key carries: a
 * load that read the database before the commit stores its result under the old epoch, where no later
 * lookup finds it. Other replicas keep their entries until the TTL ends and then read the change.
 *
 * <p>A {@link DatabaseKeyRotated} works the same way for one database's current key (version 0) alone:
 * that entry's key carries a rotation mark that moves on after the commit, so the next release of version
 * 0 on this replica reads the new version; numbered versions, which did not change, are kept.
 */
@ApplicationScoped
class ReleaseCache {
    /** Bounds on memory (about 50 MB of stored keys), well above a replica's working set. */
    private static final long MAX_CLUSTERS = 10_000;
    private static final long MAX_DATABASE_KEYS = 100_000;

    private final ConcurrentMap<String, Long> epochs = new ConcurrentHashMap<>();
    /**
     * Per rotated database, a mark from {@link #rotationMarks} that no other rotation ever gets: an entry
     * loaded under an earlier mark is never looked up again. A project's epoch moving clears its marks.
     */
    private final ConcurrentMap<DatabaseRef, Long> rotations = new ConcurrentHashMap<>();
    private final AtomicLong rotationMarks = new AtomicLong();
    private final Cache<ClusterEntry, Boolean> releasable;
    private final Cache<DatabaseKeyEntry, StoredDatabaseKey> stored;

    @Inject
    ReleaseCache(AtrestConfig config) {
        this(MasterKeyCache.ttl(config), Ticker.systemTicker());
    }

    ReleaseCache(Duration ttl, Ticker ticker) {
        releasable = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(MAX_CLUSTERS).ticker(ticker).build();
        stored = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(MAX_DATABASE_KEYS).ticker(ticker).build();
    }

    /** Passes if the cluster was admitted within the TTL; otherwise runs {@code check}, which throws a refusal. */
    void requireReleasable(String projectId, String clusterName, Runnable check) {
        releasable.get(new ClusterEntry(projectId, epoch(projectId), clusterName), entry -> {
            check.run();
            return Boolean.TRUE;
        });
    }

    /**
     * The stored key {@code version} (0: the current one) of a database, from memory or from {@code load};
     * concurrent first calls for one key wait for a single load. A failed load is not kept.
     */
    StoredDatabaseKey stored(String projectId, String clusterName, String databaseName, int version,
                             Supplier<StoredDatabaseKey> load) {
        return stored.get(entry(projectId, clusterName, databaseName, version), entry -> load.get());
    }

    /**
     * Drops a stored database key that failed to open, under both names it may be kept by: the version
     * asked for (0: the current one) and the version it turned out to be.
     */
    void forget(String projectId, String clusterName, String databaseName, int askedVersion, int storedVersion) {
        stored.invalidate(entry(projectId, clusterName, databaseName, askedVersion));
        stored.invalidate(entry(projectId, clusterName, databaseName, storedVersion));
    }

    void onDatabaseKeyRotated(@Observes(during = TransactionPhase.AFTER_SUCCESS) DatabaseKeyRotated rotated) {
        databaseKeyRotated(rotated.projectId(), rotated.clusterName(), rotated.databaseName());
    }

    /** The database's current key changed: version 0 is read again, from this moment on. */
    void databaseKeyRotated(String projectId, String clusterName, String databaseName) {
        DatabaseKeyEntry before = entry(projectId, clusterName, databaseName, 0);
        rotations.put(new DatabaseRef(projectId, clusterName, databaseName), rotationMarks.incrementAndGet());
        // No lookup finds the old entry any more; drop it to free its place, unless it is still loading:
        // invalidating a key while it loads would wait for that load.
        if (stored.getIfPresent(before) != null) {
            stored.invalidate(before);
        }
    }

    void onKeyAccessChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) KeyAccessChanged changed) {
        invalidateProject(changed.projectId());
    }

    void invalidateProject(String projectId) {
        epochs.merge(projectId, 1L, Long::sum);
        rotations.keySet().removeIf(database -> database.projectId().equals(projectId));
        releasable.asMap().keySet().removeIf(entry -> entry.projectId().equals(projectId));
        stored.asMap().keySet().removeIf(entry -> entry.projectId().equals(projectId));
    }

    private long epoch(String projectId) {
        return epochs.getOrDefault(projectId, 0L);
    }

    private DatabaseKeyEntry entry(String projectId, String clusterName, String databaseName, int version) {
        long rotation = version == 0
                ? rotations.getOrDefault(new DatabaseRef(projectId, clusterName, databaseName), 0L) : 0L;
        return new DatabaseKeyEntry(projectId, epoch(projectId), clusterName, databaseName, version, rotation);
    }

    private record ClusterEntry(String projectId, long epoch, String clusterName) {}

    private record DatabaseRef(String projectId, String clusterName, String databaseName) {}

    /** {@code rotation}: the database's rotation mark for its current key (version 0), else 0. */
    private record DatabaseKeyEntry(String projectId, long epoch, String clusterName, String databaseName,
                                    int version, long rotation) {}
}
