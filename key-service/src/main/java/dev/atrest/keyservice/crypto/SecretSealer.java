package dev.atrest.keyservice.crypto;

import dev.atrest.keyservice.domain.SecretValue;

/**
 * Seals secrets (AWS secret access keys) under the service's seal key before they are stored. The
 * AAD binds each sealed secret to its project, so a sealed value copied to another project's row
 * does not open. It also derives keys for other purposes from the seal key ({@link #deriveKey}), so that the
 * seal key itself stays in this one object.
 */
public final class SecretSealer {
    private static final String PURPOSE = "atrest.v1/aws-secret-access-key";

    private final KeyMaterial sealKey;
    private final KeyWrapper wrapper;

    public SecretSealer(KeyMaterial sealKey, KeyWrapper wrapper) {
        this.sealKey = sealKey;
        this.wrapper = wrapper;
    }

    public byte[] seal(String projectId, SecretValue secret) {
        return wrapper.wrap(sealKey, secret.bytes(), Aad.of(PURPOSE, projectId));
    }

    /** A key for {@code purpose} alone, derived from the seal key (HKDF-SHA256); the caller owns it. */
    public KeyMaterial deriveKey(String purpose) {
        return Hkdf.derive(sealKey, purpose);
    }

    public SecretValue open(String projectId, byte[] sealed) {
        return SecretValue.wrap(wrapper.unwrap(sealKey, sealed, Aad.of(PURPOSE, projectId)));
    }
}
