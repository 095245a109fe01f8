package dev.atrest.keyservice.kms;

import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.domain.Provider;
import dev.atrest.keyservice.domain.RootKeyConfig;
import java.util.Map;

/**
 * The root of a key hierarchy: wraps and unwraps master keys. Implementations throw
 * {@code PreconditionFailedException(ENCRYPTION_AT_REST_SETTINGS_INVALID)} when the root key answers
 * that it cannot be used, and {@code KmsUnavailableException} when it cannot be reached in time.
 */
public interface RootKeyProvider {

    Provider provider();

    /**
     * Proves the root key can be used now: it exists, is enabled, is a symmetric encrypt/decrypt key,
     * and a data key generated under it decrypts again with the same context.
     *
     * @return the root key's canonical id (a key ARN for AWS)
     */
    String validate(String projectId, RootKeyConfig config);

    /**
     * Proves that a root key recorded on master keys ({@code wrappingKeyId}, as this provider named it
     * when it wrapped them) can still be used, reached the way {@code access} says. It need not be the
     * configured key: an alias may point elsewhere now, or a CMK change may still be leaving it.
     *
     * @return the root key's canonical id
     */
    String validateWrappingKey(String projectId, RootKeyConfig access, String wrappingKeyId);

    GeneratedMasterKey generateMasterKey(RootKeyConfig config, Map<String, String> context);

    KeyMaterial decryptMasterKey(RootKeyConfig config, WrappedMasterKey wrapped, Map<String, String> context);

    WrappedMasterKey encryptMasterKey(RootKeyConfig config, KeyMaterial masterKey, Map<String, String> context);

    /**
     * Moves a master key this provider wrapped under {@code from} to root key {@code to} of provider
     * {@code target}, with the same context. By default it is unwrapped here and wrapped there; a
     * provider that can move it without the plaintext leaving the key store overrides this.
     */
    default WrappedMasterKey reEncryptMasterKey(RootKeyConfig from, WrappedMasterKey wrapped, RootKeyConfig to,
                                                RootKeyProvider target, Map<String, String> context) {
        try (KeyMaterial plaintext = decryptMasterKey(from, wrapped, context)) {
            return target.encryptMasterKey(to, plaintext, context);
        }
    }
}
