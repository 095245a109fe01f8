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
    /** RFC 5869: without a salt, extract with HashLen zero bytes. */
    private static final byte[] NO_SALT = new byte[32];

    private Hkdf() {}

    /** A 32-byte key for {@code info}; the caller owns (and closes) it. */
    public static KeyMaterial derive(KeyMaterial inputKey, String info) {
        byte[] ikm = inputKey.copyBytes();
        byte[] prk = null;
        try {
            prk = hmac(NO_SALT, ikm);
            byte[] infoBytes = info.getBytes(StandardCharsets.UTF_8);
            byte[] block = Arrays.copyOf(infoBytes, infoBytes.length + 1);
            block[infoBytes.length] = 1; // T(1) = HMAC(PRK, info || 0x01): one block is 32 bytes, all we need
            return KeyMaterial.takeOwnership(hmac(prk, block));
        } finally {
            Arrays.fill(ikm, (byte) 0);
            if (prk != null) {
                Arrays.fill(prk, (byte) 0);
            }
        }
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
