package dev.atrest.keyservice.domain;

import dev.atrest.keyservice.domain.PreconditionFailedException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Whether a snapshot's keys can still be handed out for a restore: every version it recorded must be
 * stored and not destroyed, every database key it needs must still be wrapped by a master key that is not
 * destroyed, and the project's root key must be usable.
 */
public final class SnapshotRestore {
    private SnapshotRestore() {}

    /**
     * Throws INVALID_SNAPSHOT_RESTORE_ENCRYPTION if the restore cannot get its keys.
     *
     * @param project the snapshot's project as stored, or null if it has none
     * @param keys    the snapshot's cluster's key hierarchy as stored
     */
    public static void check(Snapshot snapshot, ProjectEncryption project, ClusterKeys keys) {
        if (project != null && !project.projectId().equals(snapshot.projectId())) {
            throw new IllegalArgumentException("project " + project.projectId() + " given for a snapshot of "
                    + snapshot.projectId());
        }
        if (project == null || project.rootKey().isEmpty()) {
            throw refused(snapshot, "the project has no root key to open the snapshot's keys", Map.of());
        }
        if (!project.valid()) {
            String why = project.validationError() == null ? "it failed validation" : project.validationError();
            throw refused(snapshot, "the project's CMK is invalid: " + why, Map.of());
        }
        List<String> missing = missingKeys(snapshot, keys);
        if (!missing.isEmpty()) {
            throw refused(snapshot, "key versions the snapshot needs are gone: " + String.join(", ", missing),
                    Map.of("missing_keys", String.join(",", missing)));
        }
    }

    /**
     * The key versions {@code snapshot} needs that are missing or destroyed, in words
     * ("master_key:3", "database_key:orders:1"); empty when every one can be unwrapped.
     */
    public static List<String> missingKeys(Snapshot snapshot, ClusterKeys keys) {
        List<String> missing = new ArrayList<>();
        if (!usableMasterKey(keys, snapshot.masterKeyVersion())) {
            missing.add("master_key:" + snapshot.masterKeyVersion());
        }
        new TreeMap<>(snapshot.databaseKeyVersions()).forEach((database, version) -> {
            Optional<DatabaseKeyInfo> key = keys.databaseKeys().stream()
                    .filter(k -> k.databaseName().equals(database) && k.version() == version).findFirst();
            boolean usable = key.isPresent() && KeyLifecycle.mayUnwrap(key.get().state())
                    && usableMasterKey(keys, key.get().wrappedByMasterKeyVersion());
            if (!usable) {
                missing.add("database_key:" + database + ":" + version);
            }
        });
        return missing;
    }

    private static boolean usableMasterKey(ClusterKeys keys, int version) {
        return keys.masterKeys().stream()
                .anyMatch(k -> k.version() == version && KeyLifecycle.mayUnwrap(k.state()));
    }

    private static PreconditionFailedException refused(Snapshot snapshot, String why, Map<String, String> detail) {
        Map<String, String> metadata = new TreeMap<>(detail);
        metadata.put("snapshot_id", snapshot.id());
        return new PreconditionFailedException(Reason.INVALID_SNAPSHOT_RESTORE_ENCRYPTION,
                "cannot restore snapshot " + snapshot.id() + ": " + why, metadata);
    }
}
