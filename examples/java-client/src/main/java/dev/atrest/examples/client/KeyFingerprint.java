package dev.atrest.examples.client;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a key, in hex: enough to tell two keys apart (or to check that two services got the same
 * key) without showing a byte of it.
 */
final class KeyFingerprint {

    private KeyFingerprint() {
    }

    static String sha256(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
