package dev.atrest.keyservice.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The part of a cluster's stored key hierarchy that rotation reads and changes: the master-key versions
 * and their states, which one is current, and which master-key version wraps each live (not destroyed)
 * database key. No key material, no times. Immutable, so a test can stop a rotation after any step.
 *
 * @param currentVersion the cluster's master-key version (0 before its first master key)
 * @param wrappedBy      each live database key → the master-key version that wraps it
 */
public record KeyRing(int currentVersion, SortedMap<Integer, KeyState> masterKeys,
                      SortedMap<DatabaseKeyRef, Integer> wrappedBy) {

    public KeyRing {
        if (currentVersion < 0) {
            throw new IllegalArgumentException("master-key versions start at 1");
        }
        masterKeys = Collections.unmodifiableSortedMap(new TreeMap<>(masterKeys));
        wrappedBy = Collections.unmodifiableSortedMap(new TreeMap<>(wrappedBy));
    }

    /** The ring of a stored hierarchy; destroyed database keys need no wrapping and are left out. */
    public static KeyRing of(ClusterKeys keys, int currentVersion) {
        SortedMap<Integer, KeyState> masters = new TreeMap<>();
        keys.masterKeys().forEach(key -> masters.put(key.version(), key.state()));
        SortedMap<DatabaseKeyRef, Integer> wrapped = new TreeMap<>();
        keys.databaseKeys().stream().filter(key -> key.state() != KeyState.DESTROYED).forEach(key ->
                wrapped.put(new DatabaseKeyRef(key.databaseName(), key.version()), key.wrappedByMasterKeyVersion()));
        return new KeyRing(currentVersion, masters, wrapped);
    }

    public Optional<KeyState> masterKeyState(int version) {
        return Optional.ofNullable(masterKeys.get(version));
    }

    /** The version a new master key gets: versions are never reused, even after destruction. */
    public int nextVersion() {
        return masterKeys.isEmpty() ? 1 : masterKeys.lastKey() + 1;
    }

    public int wrappedCount(int masterKeyVersion) {
        return (int) wrappedBy.values().stream().filter(v -> v == masterKeyVersion).count();
    }

    /** The live database keys not yet wrapped by {@code masterKeyVersion}, in a stable order. */
    public List<DatabaseKeyRef> wrappedByOtherThan(int masterKeyVersion) {
        return wrappedBy.entrySet().stream().filter(e -> e.getValue() != masterKeyVersion).map(Map.Entry::getKey).toList();
    }

    /** Whether some live database key is still wrapped by a version older than the current one. */
    public boolean rotationUnfinished() {
        return !wrappedByOtherThan(currentVersion).isEmpty();
    }

    /** How the lifecycle rules see master-key {@code version}, given the snapshots that need it. */
    public KeyVersionUse masterKeyUse(int version, Set<String> snapshotIds) {
        KeyState state = masterKeyState(version)
                .orElseThrow(() -> new IllegalArgumentException("no master-key version " + version));
        return new KeyVersionUse(state, version == currentVersion, wrappedCount(version), snapshotIds);
    }

    /**
     * The broken invariants, in words; empty when the ring is sound. Sound means: at most one ACTIVE
     * master key and it is the current one, and every live database key is wrapped by a stored master
     * key that is not destroyed, so that it can be unwrapped.
     */
    public List<String> violations() {
        List<String> found = new ArrayList<>();
        List<Integer> active = masterKeys.entrySet().stream()
                .filter(e -> e.getValue() == KeyState.ACTIVE).map(Map.Entry::getKey).toList();
        if (active.size() > 1) {
            found.add("more than one ACTIVE master key: versions " + active);
        }
        if (currentVersion > 0 && masterKeys.get(currentVersion) != KeyState.ACTIVE) {
            found.add("current master-key version " + currentVersion + " is " + describe(currentVersion));
        }
        active.stream().filter(v -> v != currentVersion)
                .forEach(v -> found.add("master-key version " + v + " is ACTIVE but not current"));
        wrappedBy.forEach((key, version) -> {
            if (!masterKeyState(version).map(KeyLifecycle::mayUnwrap).orElse(false)) {
                found.add("database key " + key.databaseName() + ":" + key.version()
                        + " is wrapped by master-key version " + version + ", which is " + describe(version));
            }
        });
        return found;
    }

    private String describe(int version) {
        return masterKeyState(version).map(KeyState::name).orElse("missing");
    }

    public KeyRing withMasterKey(int version, KeyState state) {
        SortedMap<Integer, KeyState> masters = new TreeMap<>(masterKeys);
        masters.put(version, state);
        return new KeyRing(currentVersion, masters, wrappedBy);
    }

    public KeyRing withCurrentVersion(int version) {
        return new KeyRing(version, masterKeys, wrappedBy);
    }

    /** A database key (new, or re-wrapped) now wrapped by {@code masterKeyVersion}. */
    public KeyRing withWrapping(DatabaseKeyRef key, int masterKeyVersion) {
        SortedMap<DatabaseKeyRef, Integer> wrapped = new TreeMap<>(wrappedBy);
        wrapped.put(key, masterKeyVersion);
        return new KeyRing(currentVersion, masterKeys, wrapped);
    }
}
