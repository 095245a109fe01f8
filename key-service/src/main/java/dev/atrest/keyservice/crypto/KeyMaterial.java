package dev.atrest.keyservice.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;

/**
 * 256 bits of plaintext key material in memory. It never prints itself; {@link #close()} zeroes it.
 * The raw bytes are reachable only through {@link #copyBytes()} and {@link #asAesKey()}, so every
 * place that handles plaintext is easy to find.
 */
public final class KeyMaterial implements AutoCloseable {
    public static final int LENGTH_BYTES = 32;

    private final byte[] bytes;
    private boolean destroyed;

    private KeyMaterial(byte[] bytes) {
        if (bytes.length != LENGTH_BYTES) {
            throw new IllegalArgumentException("key material must be " + LENGTH_BYTES + " bytes");
        }
        this.bytes = bytes;
    }

    public static KeyMaterial generate(SecureRandom random) {
        byte[] bytes = new byte[LENGTH_BYTES];
        random.nextBytes(bytes);
        return new KeyMaterial(bytes);
    }

    /** Copies {@code bytes}; the caller still owns (and should clear) its array. */
    public static KeyMaterial copyOf(byte[] bytes) {
        return new KeyMaterial(bytes.clone());
    }

    /** Takes ownership of {@code bytes}: they are zeroed when this is closed. */
    public static KeyMaterial takeOwnership(byte[] bytes) {
        return new KeyMaterial(bytes);
    }

    public byte[] copyBytes() {
        checkAlive();
        return bytes.clone();
    }

    public SecretKeySpec asAesKey() {
        checkAlive();
        return new SecretKeySpec(bytes, "AES");
    }

    @Override
    public void close() {
        Arrays.fill(bytes, (byte) 0);
        destroyed = true;
    }

    private void checkAlive() {
        if (destroyed) {
            throw new IllegalStateException("key material was destroyed");
        }
    }

    @Override
    public String toString() {
        return "KeyMaterial[redacted]";
    }
}
