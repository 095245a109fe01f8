package dev.atrest.keyservice.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM envelope for keys and secrets: {@code 0x01 || nonce(12) || ciphertext || tag(16)}.
 *
 * <p>Every wrap draws a fresh random 96-bit nonce. A wrapping key here protects at most a few million
 * payloads over its life (database keys of one cluster across rotations, or sealed secrets), far below
 * the 2^32 random-nonce bound NIST SP 800-38D sets for one key, so nonces do not repeat in practice.
 */
public final class KeyWrapper {
    private static final byte FORMAT_V1 = 0x01;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int OVERHEAD = 1 + NONCE_BYTES + TAG_BITS / 8;
    /**
     * One cipher per thread, initialised afresh for every use: {@code Cipher.getInstance} looks the provider
     * up each time, which cost more than the AES-GCM work on a 32-byte key on the data plane's hot path. (The
     * key schedule a cipher keeps until its next use is no different from the one a discarded cipher leaves
     * to the garbage collector.)
     */
    private static final ThreadLocal<Cipher> AES_GCM = ThreadLocal.withInitial(KeyWrapper::newCipher);

    private final SecureRandom random;

    public KeyWrapper(SecureRandom random) {
        this.random = random;
    }

    public byte[] wrap(KeyMaterial wrappingKey, byte[] plaintext, byte[] aad) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = AES_GCM.get();
            cipher.init(Cipher.ENCRYPT_MODE, wrappingKey.asAesKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] out = new byte[1 + NONCE_BYTES + sealed.length];
            out[0] = FORMAT_V1;
            System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, 1 + NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable in this JVM", e);
        }
    }

    public byte[] wrapKey(KeyMaterial wrappingKey, KeyMaterial key, byte[] aad) {
        byte[] plaintext = key.copyBytes();
        try {
            return wrap(wrappingKey, plaintext, aad);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * @throws UnwrapException if the envelope is malformed, was made under another key, or was moved
     *                         to a place whose AAD differs from the one it was made for
     */
    public byte[] unwrap(KeyMaterial wrappingKey, byte[] wrapped, byte[] aad) {
        if (wrapped == null || wrapped.length < OVERHEAD || wrapped[0] != FORMAT_V1) {
            throw new UnwrapException("wrapped key is malformed");
        }
        try {
            Cipher cipher = AES_GCM.get();
            cipher.init(Cipher.DECRYPT_MODE, wrappingKey.asAesKey(),
                    new GCMParameterSpec(TAG_BITS, wrapped, 1, NONCE_BYTES));
            cipher.updateAAD(aad);
            return cipher.doFinal(wrapped, 1 + NONCE_BYTES, wrapped.length - 1 - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new UnwrapException("wrapped key does not authenticate under this key and context");
        } catch (GeneralSecurityException e) {
            throw new UnwrapException("wrapped key cannot be unwrapped");
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable in this JVM", e);
        }
    }

    public KeyMaterial unwrapKey(KeyMaterial wrappingKey, byte[] wrapped, byte[] aad) {
        byte[] plaintext = unwrap(wrappingKey, wrapped, aad);
        if (plaintext.length != KeyMaterial.LENGTH_BYTES) {
            Arrays.fill(plaintext, (byte) 0);
            throw new UnwrapException("wrapped payload is not a 256-bit key");
        }
        return KeyMaterial.takeOwnership(plaintext);
    }
}
