package dev.atrest.keyservice.store;

import dev.atrest.keyservice.domain.Provider;

/**
 * One root key that wraps live master keys of a project, as the master-key rows record it.
 *
 * @param rootKeyGeneration the project's root-key generation those master keys are under
 * @param keyId             the root key as its provider named it when it wrapped them (a key ARN for AWS)
 * @param masterKeys        how many live master keys it wraps
 */
public record WrappingKeyUse(int rootKeyGeneration, Provider provider, String keyId, long masterKeys) {}
