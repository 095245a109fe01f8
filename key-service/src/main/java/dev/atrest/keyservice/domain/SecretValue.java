package dev.atrest.keyservice.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A secret (an AWS secret access key) in memory. It never prints itself, compares in constant time,
 * and can be wiped once it has been sealed or used.
 */
public final class SecretValue {
    private final byte[] bytes;

    private SecretValue(byte[] bytes) {
        this.bytes = bytes;
    }

    public static SecretValue ofUtf8(String value) {
        return new SecretValue(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Takes ownership of {@code bytes}; the caller must not keep or reuse the array. */
    public static SecretValue wrap(byte[] bytes) {
        return new SecretValue(bytes);
    }

    /** The explicit access path to the secret; callers must not keep the returned array. */
    public byte[] bytes() {
        return bytes;
    }

    /** An independent copy, to be cleared on its own. */
    public SecretValue copy() {
        return new SecretValue(bytes.clone());
    }

    public String asUtf8() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public int length() {
        return bytes.length;
    }

    public boolean sameAs(SecretValue other) {
        return other != null && MessageDigest.isEqual(bytes, other.bytes);
    }

    public void clear() {
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public String toString() {
        return "SecretValue[redacted]";
    }
}
