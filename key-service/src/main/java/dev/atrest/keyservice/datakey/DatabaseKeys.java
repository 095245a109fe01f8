package dev.atrest.keyservice.datakey;

import dev.atrest.keyservice.crypto.Aad;
import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.crypto.KeyWrapper;
import dev.atrest.keyservice.datakey.DatabaseKeyStore.WrappedMasterKeyRow;
import dev.atrest.keyservice.domain.ConcurrentUpdateException;
import dev.atrest.keyservice.domain.InputRules;
import dev.atrest.keyservice.domain.NotFoundException;
import dev.atrest.keyservice.domain.PreconditionFailedException;
import dev.atrest.keyservice.domain.Violations;
import dev.atrest.keyservice.kms.Secrets;
import dev.atrest.keyservice.masterkey.CachedMasterKey;
import dev.atrest.keyservice.masterkey.MasterKeyCache;
import dev.atrest.keyservice.masterkey.MasterKeyId;
import dev.atrest.keyservice.masterkey.MasterKeys;
import dev.atrest.keyservice.store.DuplicateKeys;
import dev.atrest.keyservice.store.RolledBackConflicts;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * Releases database keys (the data plane). A database's first key is created on first use under the
 * cluster's current master key; keys are stored only wrapped, with AAD naming project, cluster,
 * database, key version and master-key version.
 *
 * <p>A repeated release is served from memory: whether the cluster may release keys and the wrapped
 * key from {@link ReleaseCache}, the master key from {@link MasterKeyCache}. It costs one AES-GCM unwrap
 * and no database or KMS call; KMS is asked once per master key and TTL.
 */
@ApplicationScoped
public class DatabaseKeys {
    /** A rotation between reading the current master key and storing a first key makes us try again. */
    private static final int MAX_CREATE_ATTEMPTS = 3;

    private final DatabaseKeyStore store;
    private final ReleaseCache releaseCache;
    private final MasterKeyCache masterKeyCache;
    private final MasterKeys masterKeys;
    private final KeyWrapper wrapper;
    private final SecureRandom random;

    DatabaseKeys(DatabaseKeyStore store, ReleaseCache releaseCache, MasterKeyCache masterKeyCache,
                 MasterKeys masterKeys, KeyWrapper wrapper, SecureRandom random) {
        this.store = store;
        this.releaseCache = releaseCache;
        this.masterKeyCache = masterKeyCache;
        this.masterKeys = masterKeys;
        this.wrapper = wrapper;
        this.random = random;
    }

    /** The database's current key, created if it has none. The caller closes it. */
    public ReleasedDatabaseKey getOrCreate(String projectId, String clusterName, String databaseName) {
        return release(projectId, clusterName, databaseName, 0);
    }

    /**
     * Key {@code version} of a database in plaintext; 0 for the current key, created if the database has
     * none (concurrent first calls all receive the same key). The caller closes it.
     *
     * @throws PreconditionFailedException the cluster is not encrypted, or its project's CMK failed its last check
     * @throws NotFoundException           the version does not exist or was destroyed
     */
    public ReleasedDatabaseKey release(String projectId, String clusterName, String databaseName, int version) {
        Violations violations = new Violations();
        InputRules.requireId(violations, "project_id", projectId);
        InputRules.requireId(violations, "cluster_name", clusterName);
        InputRules.requireId(violations, "database_name", databaseName);
        if (version < 0) {
            violations.add("version", "must be 0 (the current key) or a key version of 1 or more");
        }
        violations.throwIfAny();
        try {
            return unwrap(projectId, clusterName, databaseName, version);
        } catch (MasterKeyGone stale) {
            // What this replica remembered points at a master-key version destroyed since (another replica
            // re-wrapped every key under a newer one, then destroyed it): forget the project and read again.
            releaseCache.invalidateProject(projectId);
            return unwrap(projectId, clusterName, databaseName, version);
        }
    }

    private ReleasedDatabaseKey unwrap(String projectId, String clusterName, String databaseName, int version) {
        releaseCache.requireReleasable(projectId, clusterName, () -> store.requireReleasable(projectId, clusterName));
        StoredDatabaseKey stored = releaseCache.stored(projectId, clusterName, databaseName, version,
                () -> version == 0 ? findOrCreate(projectId, clusterName, databaseName)
                        : store.find(projectId, clusterName, databaseName, version)
                                .orElseThrow(() -> notFound(clusterName, databaseName, version)));
        byte[] aad = Aad.forDatabaseKey(projectId, clusterName, databaseName, stored.version(),
                stored.masterKeyVersion());
        try (CachedMasterKey.Lease kek = masterKeyCache.lease(stored.masterKey(), this::open)) {
            KeyMaterial key = wrapper.unwrapKey(kek.key(), stored.wrappedKey(), aad);
            return new ReleasedDatabaseKey(key, stored.version(), stored.masterKeyVersion(), stored.createTime());
        } catch (RuntimeException failedToOpen) {
            // A key that did not open is not remembered: once the row is repaired (or KMS answers again),
            // the next call reads it afresh instead of failing on the kept copy until the TTL ends. A master
            // key that failed to open was never cached (MasterKeyCache keeps no failed load).
            releaseCache.forget(projectId, clusterName, databaseName, version, stored.version());
            throw failedToOpen;
        }
    }

    private StoredDatabaseKey findOrCreate(String projectId, String clusterName, String databaseName) {
        for (int attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++) {
            Optional<StoredDatabaseKey> key = store.find(projectId, clusterName, databaseName, 0)
                    .or(() -> createFirst(projectId, clusterName, databaseName));
            if (key.isPresent()) {
                return key.get();
            }
        }
        throw new ConcurrentUpdateException("cluster " + clusterName + " kept rotating its master key (or"
                + " concurrent first calls kept colliding) while the first key of database " + databaseName
                + " was made; try again");
    }

    /**
     * Makes and stores a database's first key, for a caller that found none; empty when a rotation made
     * another master-key version current meanwhile. If another call (on this replica or another) stored
     * a first key since, the unique key refuses this one and that call's key is returned instead.
     */
    Optional<StoredDatabaseKey> createFirst(String projectId, String clusterName, String databaseName) {
        MasterKeyId current = store.currentMasterKey(projectId, clusterName);
        byte[] wrapped = wrapNew(projectId, clusterName, databaseName, DatabaseKeyStore.FIRST_VERSION, current);
        try {
            return store.insertFirst(projectId, clusterName, databaseName, current, wrapped);
        } catch (RuntimeException refused) {
            if (RolledBackConflicts.isRolledBack(refused) && RolledBackConflicts.pauseBeforeRetry()) {
                // On Galera, a first key stored through another node at the same time fails this insert's
                // certification instead of its unique key. Nothing of it was stored and its key was never
                // released: read again, and findOrCreate makes another try if nothing is there yet.
                return store.find(projectId, clusterName, databaseName, 0);
            }
            if (!DuplicateKeys.isDuplicate(refused)) {
                throw refused;
            }
            return Optional.of(store.find(projectId, clusterName, databaseName, 0).orElseThrow(() -> refused));
        }
    }

    /**
     * A fresh key for {@code version} of a database, wrapped under master key {@code wrapUnder}; the master
     * key is leased (opened through KMS if this replica does not hold it) before any transaction starts.
     */
    byte[] wrapNew(String projectId, String clusterName, String databaseName, int version, MasterKeyId wrapUnder) {
        byte[] aad = Aad.forDatabaseKey(projectId, clusterName, databaseName, version, wrapUnder.version());
        try (CachedMasterKey.Lease kek = masterKeyCache.lease(wrapUnder, this::open);
             KeyMaterial key = KeyMaterial.generate(random)) {
            return wrapper.wrapKey(kek.key(), key, aad);
        }
    }

    /** Unwraps a master key through its root key (KMS), as stored now. */
    private KeyMaterial open(MasterKeyId id) {
        WrappedMasterKeyRow stored = store.forOpening(id).orElseThrow(() -> new MasterKeyGone(id));
        try {
            return masterKeys.open(stored.root(), stored.row());
        } finally {
            Secrets.clear(stored.root());
        }
    }

    private static NotFoundException notFound(String clusterName, String databaseName, int version) {
        return new NotFoundException("database " + databaseName + " of cluster " + clusterName
                + " has no key version " + version + " (never created, or destroyed)");
    }

    /** A remembered database key names a master-key version that has been destroyed since. */
    private static final class MasterKeyGone extends IllegalStateException {
        MasterKeyGone(MasterKeyId id) {
            super("master-key version " + id.version() + " of cluster " + id.clusterName() + " was destroyed");
        }
    }
}
