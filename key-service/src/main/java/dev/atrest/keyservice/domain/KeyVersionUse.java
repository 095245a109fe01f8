package dev.atrest.keyservice.domain;

import java.util.Objects;
import java.util.Set;

/**
 * Everything that decides whether one stored key version (a master key's or a database key's) may leave
 * service.
 *
 * @param current     whether new work uses it: the cluster's master-key version, or a database's latest key
 * @param wrappedKeys how many live (not destroyed) database keys it still wraps; always 0 for a database
 *                    key. A retired master key that still wraps keys is the source of an unfinished rotation.
 * @param snapshotIds the live snapshots that recorded this version
 */
public record KeyVersionUse(KeyState state, boolean current, int wrappedKeys, Set<String> snapshotIds) {

    public KeyVersionUse {
        Objects.requireNonNull(state, "state");
        if (wrappedKeys < 0) {
            throw new IllegalArgumentException("wrappedKeys cannot be negative");
        }
        snapshotIds = Set.copyOf(snapshotIds);
    }

    public boolean referencedBySnapshot() {
        return !snapshotIds.isEmpty();
    }
}
