package dev.atrest.keyservice.domain;

import java.util.Optional;

/**
 * One durable step of a master-key rotation; the service runs each in its own transaction. Every step is
 * safe to run again after a crash between its commit and the caller learning of it: {@link #applyTo}
 * says exactly what the step does to the stored hierarchy, and refuses (IllegalStateException) when the
 * hierarchy moved under it, in which case the caller plans again with {@link RotationPlan#resume}.
 */
public sealed interface RotationStep {

    KeyRing applyTo(KeyRing ring);

    /**
     * Stores master-key {@code version} ACTIVE, retires every other ACTIVE version and makes it the cluster's
     * current version, in one transaction: there is never more than one ACTIVE master key, and new
     * database keys go under the new version from that instant, so the rotation never chases them.
     * KMS generates the key before that transaction; a crash in between loses only an unused data key.
     */
    record CreateMasterKey(int version) implements RotationStep {
        @Override
        public KeyRing applyTo(KeyRing ring) {
            Optional<KeyState> existing = ring.masterKeyState(version);
            if (existing.isPresent()) {
                if (existing.get() == KeyState.ACTIVE && ring.currentVersion() == version) {
                    return ring;
                }
                throw new IllegalStateException("master-key version " + version + " already exists as " + existing.get());
            }
            if (version != ring.nextVersion()) {
                throw new IllegalStateException(
                        "cannot create master-key version " + version + ": the next version is " + ring.nextVersion());
            }
            KeyRing next = ring;
            for (var entry : ring.masterKeys().entrySet()) {
                if (entry.getValue() == KeyState.ACTIVE) {
                    next = next.withMasterKey(entry.getKey(), KeyState.RETIRED);
                }
            }
            return next.withMasterKey(version, KeyState.ACTIVE).withCurrentVersion(version);
        }
    }

    /**
     * Re-wraps one database key from master-key version {@code fromVersion} to {@code toVersion}: the key
     * itself is unchanged, so no data is re-encrypted. Stored as a compare-and-set on the wrapping version
     * ({@code ... WHERE master_key_version = from}), so a replay finds nothing to do.
     */
    record RewrapDatabaseKey(DatabaseKeyRef key, int fromVersion, int toVersion) implements RotationStep {
        @Override
        public KeyRing applyTo(KeyRing ring) {
            Integer wrapping = ring.wrappedBy().get(key);
            if (wrapping == null || wrapping == toVersion) {
                return ring; // destroyed meanwhile, or already re-wrapped
            }
            if (wrapping != fromVersion) {
                throw new IllegalStateException("database key " + key.databaseName() + ":" + key.version()
                        + " is wrapped by master-key version " + wrapping + ", not " + fromVersion);
            }
            if (ring.masterKeyState(toVersion).orElse(null) != KeyState.ACTIVE) {
                throw new IllegalStateException("cannot re-wrap under master-key version " + toVersion
                        + ": it is not the active version");
            }
            return ring.withWrapping(key, toVersion);
        }
    }

    /**
     * Records that the rotation to {@code version} finished (its time is the cluster's last rotation time);
     * changes no key. Refused while a live database key is still wrapped by another version, so that
     * "finished" is never claimed early, e.g. when a key was created under the old version mid-rotation.
     */
    record FinishRotation(int version) implements RotationStep {
        @Override
        public KeyRing applyTo(KeyRing ring) {
            if (ring.currentVersion() != version) {
                throw new IllegalStateException("master-key version " + version + " is not current");
            }
            int left = ring.wrappedByOtherThan(version).size();
            if (left > 0) {
                throw new IllegalStateException(left + " database keys are not yet wrapped by version " + version);
            }
            return ring;
        }
    }
}
