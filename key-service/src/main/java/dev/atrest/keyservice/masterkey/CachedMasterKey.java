package dev.atrest.keyservice.masterkey;

import dev.atrest.keyservice.crypto.KeyMaterial;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An unwrapped master key shared by {@link MasterKeyCache} and the calls using it. The cache holds one
 * reference from the moment the key is loaded, each call one more while it wraps or unwraps; the key
 * is zeroed when the last reference goes. So dropping it from the cache (expiry, invalidation) never
 * zeroes it under a call that is still using it, and a dropped key never outlives its last call.
 */
public final class CachedMasterKey {
    private final KeyMaterial key;
    /** The cache's reference plus one per open lease; once it reaches 0 the key is zeroed for good. */
    private final AtomicInteger references = new AtomicInteger(1);
    private final AtomicBoolean dropped = new AtomicBoolean();

    CachedMasterKey(KeyMaterial key) {
        this.key = key;
    }

    /** A lease on the key, or empty when it has been zeroed already (dropped, and its last lease closed). */
    public Optional<Lease> lease() {
        while (true) {
            int current = references.get();
            if (current == 0) {
                return Optional.empty();
            }
            if (references.compareAndSet(current, current + 1)) {
                return Optional.of(new Lease());
            }
        }
    }

    /** The cache let go of the key; it is zeroed now, or when the last lease closes. Idempotent. */
    public void drop() {
        if (dropped.compareAndSet(false, true)) {
            release();
        }
    }

    private void release() {
        if (references.decrementAndGet() == 0) {
            key.close();
        }
    }

    /** One call's hold on the key. Not shared between threads; closing it twice releases once. */
    public final class Lease implements AutoCloseable {
        private boolean closed;

        private Lease() {}

        public KeyMaterial key() {
            if (closed) {
                throw new IllegalStateException("the master-key lease was closed");
            }
            return key;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                release();
            }
        }
    }
}
