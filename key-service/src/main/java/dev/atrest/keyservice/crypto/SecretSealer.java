package dev.atrest.keyservice.crypto;

import dev.atrest.keyservice.domain.SecretValue;

/**
 * Seals secrets (AWS secret access keys) under the service's seal key before they are stored. The
 * AAD binds each sealed secret to its project, so a sealed value copied to another project's row
 * does not open.
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

    public SecretValue open(String projectId, byte[] sealed) {
        return SecretValue.wrap(wrapper.unwrap(sealKey, sealed, Aad.of(PURPOSE, projectId)));
    }
}
