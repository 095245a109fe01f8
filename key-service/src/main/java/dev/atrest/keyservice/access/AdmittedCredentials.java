package dev.atrest.keyservice.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Authorization headers that admitted a call recently, by SHA-256 (never the secret itself): a caller
 * whose peer address is being flooded with refused calls (a shared NAT, the same host) still gets in
 * with a credential that worked before, while unknown ones from that address are answered without a
 * database lookup. Bounded: when full of live entries, a new one is simply not remembered.
 */
final class AdmittedCredentials {
    private final Map<String, Long> expiryBySha256 = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int capacity;
    private final LongSupplier nanoTime;

    AdmittedCredentials(Duration ttl, int capacity, LongSupplier nanoTime) {
        this.ttlNanos = ttl.toNanos();
        this.capacity = capacity;
        this.nanoTime = nanoTime;
    }

    void remember(String authorization) {
        String sha256 = sha256(authorization);
        long now = nanoTime.getAsLong();
        if (expiryBySha256.size() >= capacity) {
            forgetExpired(now);
            if (expiryBySha256.size() >= capacity && !expiryBySha256.containsKey(sha256)) {
                return;
            }
        }
        expiryBySha256.put(sha256, now + ttlNanos);
    }

    boolean contains(String authorization) {
        Long expiry = expiryBySha256.get(sha256(authorization));
        return expiry != null && expiry - nanoTime.getAsLong() > 0;
    }

    void forgetExpired() {
        forgetExpired(nanoTime.getAsLong());
    }

    private void forgetExpired(long now) {
        expiryBySha256.values().removeIf(expiry -> expiry - now <= 0);
    }

    private static String sha256(String authorization) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(authorization.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
