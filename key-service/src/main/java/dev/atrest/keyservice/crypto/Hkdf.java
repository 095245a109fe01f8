package dev.atrest.keyservice.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF-SHA256 (RFC 5869): one 32-byte key per purpose from the seal key, so that a key made for one
 * use (the audit log's MACs) says nothing about the seal key or about any other purpose's key.
 */
public final class Hkdf {
    private static final String HMAC = "HmacSHA256";
    private static final int HASH_LENGTH = 32;
    /** RFC 5869: without a salt, extract with HashLen zero bytes. */
    private static final byte[] NO_SALT = new byte[HASH_LENGTH];

    private Hkdf() {}

    /** A 32-byte key for {@code info}; the caller owns (and closes) it. */
    public static KeyMaterial derive(KeyMaterial inputKey, String info) {
        byte[] ikm = inputKey.copyBytes();
        byte[] prk = null;
        try {
            prk = extract(NO_SALT, ikm);
            byte[] infoBytes = info.getBytes(StandardCharsets.UTF_8);
            return KeyMaterial.takeOwnership(expand(prk, infoBytes, KeyMaterial.LENGTH_BYTES)); // one block, T(1)
        } finally {
            Arrays.fill(ikm, (byte) 0);
            if (prk != null) {
                Arrays.fill(prk, (byte) 0);
            }
        }
    }

    /** RFC 5869 section 2.2: PRK = HMAC-Hash(salt, IKM). */
    static byte[] extract(byte[] salt, byte[] ikm) {
        return hmac(salt, ikm);
    }

    /** RFC 5869 section 2.3: the first {@code length} bytes of T(1) | T(2) | ..., T(i) = HMAC(PRK, T(i-1) | info | i). */
    static byte[] expand(byte[] prk, byte[] info, int length) {
        if (length < 1 || length > 255 * HASH_LENGTH) {
            throw new IllegalArgumentException("HKDF-SHA256 output must be 1 to 8160 bytes");
        }
        byte[] okm = new byte[length];
        byte[] previous = new byte[0];
        for (int block = 1, written = 0; written < length; block++) {
            byte[] input = Arrays.copyOf(previous, previous.length + info.length + 1);
            System.arraycopy(info, 0, input, previous.length, info.length);
            input[input.length - 1] = (byte) block;
            Arrays.fill(previous, (byte) 0);
            previous = hmac(prk, input);
            int take = Math.min(previous.length, length - written);
            System.arraycopy(previous, 0, okm, written, take);
            written += take;
        }
        Arrays.fill(previous, (byte) 0);
        return okm;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
