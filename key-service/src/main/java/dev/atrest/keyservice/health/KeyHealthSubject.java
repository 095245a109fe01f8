package dev.atrest.keyservice.health;

import dev.atrest.keyservice.domain.RootKeyConfig;
import dev.atrest.keyservice.kms.Secrets;
import dev.atrest.keyservice.store.WrappingKeyUse;
import java.util.List;

/**
 * What one health check of a project asks KMS about, read before any KMS call (and with no row lock
 * held while KMS answers): the configured root key, and every root key recorded on a live master key
 * with the credentials of its generation. Secrets inside are unsealed: close it once KMS has answered.
 *
 * @param rowVersion the project row's version when read: a check whose settings changed meanwhile
 *                   stores no verdict, since KMS was asked about keys no longer in force
 */
record KeyHealthSubject(String projectId, boolean enabled, long rowVersion, int rootKeyGeneration,
                        RootKeyConfig configured, List<WrappingKey> wrapping) implements AutoCloseable {

    /** A root key that wraps master keys, and how to reach it (the credentials of its generation). */
    record WrappingKey(WrappingKeyUse use, RootKeyConfig access) {}

    static KeyHealthSubject disabled(String projectId, long rowVersion, int rootKeyGeneration) {
        return new KeyHealthSubject(projectId, false, rowVersion, rootKeyGeneration, null, List.of());
    }

    @Override
    public void close() {
        if (configured != null) {
            Secrets.clear(configured);
        }
        wrapping.forEach(key -> Secrets.clear(key.access()));
    }
}
