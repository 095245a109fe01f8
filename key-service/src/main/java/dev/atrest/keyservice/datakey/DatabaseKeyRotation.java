package dev.atrest.keyservice.datakey;

import dev.atrest.keyservice.datakey.DatabaseKeyStore.NextVersion;
import dev.atrest.keyservice.domain.ConcurrentUpdateException;
import dev.atrest.keyservice.domain.DatabaseKeyInfo;
import dev.atrest.keyservice.domain.InputRules;
import dev.atrest.keyservice.domain.PreconditionFailedException;
import dev.atrest.keyservice.domain.PreconditionFailedException.Reason;
import dev.atrest.keyservice.domain.Violations;
import dev.atrest.keyservice.store.DuplicateKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jboss.logging.Logger;

/**
 * RotateDatabaseKey: a new version of one database's key, made like a first key (fresh key material,
 * wrapped under the cluster's current master key, with the AAD naming its version) and from then on the
 * one a release of version 0 serves. The version it replaces is retired, never destroyed: data and
 * snapshots may still be under it, so it is still released by number.
 *
 * <p>Three short steps, none holding a row lock while KMS may be asked: read the latest version and the
 * current master key; wrap a fresh key (the master key leased from {@link
 * dev.atrest.keyservice.masterkey.MasterKeyCache}); store it if the master key is still current and no
 * one stored that version first. A concurrent rotation (on any replica) makes this one read again.
 */
@ApplicationScoped
public class DatabaseKeyRotation {
    private static final Logger LOG = Logger.getLogger(DatabaseKeyRotation.class);
    /** Each lost race means another call made a version: a handful of rounds settles any realistic contention. */
    private static final int MAX_ATTEMPTS = 8;

    private final DatabaseKeyStore store;
    private final DatabaseKeys databaseKeys;

    DatabaseKeyRotation(DatabaseKeyStore store, DatabaseKeys databaseKeys) {
        this.store = store;
        this.databaseKeys = databaseKeys;
    }

    /**
     * Makes the next version of a database's key (version 1 for a database without one) and returns it.
     *
     * @param expectedVersion when present, the version the caller believes current (0: none); if it is
     *                        not, nothing is made
     * @throws PreconditionFailedException the cluster is not encrypted, its project's CMK failed its last
     *                                     check, or {@code expectedVersion} is not the current version
     * @throws ConcurrentUpdateException   other calls kept making versions of this key meanwhile
     */
    public DatabaseKeyInfo rotate(String projectId, String clusterName, String databaseName,
                                  OptionalInt expectedVersion) {
        Violations violations = new Violations();
        InputRules.requireId(violations, "project_id", projectId);
        InputRules.requireId(violations, "cluster_name", clusterName);
        InputRules.requireId(violations, "database_name", databaseName);
        if (expectedVersion.isPresent() && expectedVersion.getAsInt() < 0) {
            violations.add("expected_version", "must be 0 (no key yet) or a key version of 1 or more, or unset");
        }
        violations.throwIfAny();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<DatabaseKeyInfo> made = tryRotate(projectId, clusterName, databaseName, expectedVersion);
            if (made.isPresent()) {
                LOG.infof("cluster %s/%s: database %s now has key version %d (under master key version %d)",
                        projectId, clusterName, databaseName, made.get().version(),
                        made.get().wrappedByMasterKeyVersion());
                return made.get();
            }
        }
        throw new ConcurrentUpdateException("database " + databaseName + " of cluster " + clusterName
                + " kept getting new key versions (or its master key kept rotating) meanwhile; try again");
    }

    /** One round; empty when another call made this version first or the master key rotated meanwhile. */
    private Optional<DatabaseKeyInfo> tryRotate(String projectId, String clusterName, String databaseName,
                                                OptionalInt expectedVersion) {
        NextVersion next = store.nextVersion(projectId, clusterName, databaseName);
        if (expectedVersion.isPresent() && expectedVersion.getAsInt() != next.latest()) {
            throw versionChanged(clusterName, databaseName, expectedVersion.getAsInt(), next.latest());
        }
        int version = next.latest() + 1;
        byte[] wrapped = databaseKeys.wrapNew(projectId, clusterName, databaseName, version, next.wrapUnder());
        try {
            return store.insertVersion(projectId, clusterName, databaseName, version, next.wrapUnder(), wrapped);
        } catch (RuntimeException refused) {
            if (!DuplicateKeys.isDuplicate(refused)) {
                throw refused;
            }
            return Optional.empty();
        }
    }

    private static PreconditionFailedException versionChanged(String clusterName, String databaseName,
                                                              int expected, int latest) {
        return new PreconditionFailedException(Reason.DATABASE_KEY_VERSION_CHANGED, "database " + databaseName
                + " of cluster " + clusterName + " is at key version " + latest + ", not " + expected
                + "; nothing was rotated", Map.of("database_name", databaseName,
                "current_version", Integer.toString(latest), "expected_version", Integer.toString(expected)));
    }
}
