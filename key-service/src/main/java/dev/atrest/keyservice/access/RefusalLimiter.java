package dev.atrest.keyservice.access;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per caller, spent only by refused calls: a caller may be refused {@code burst} times at
 * once and then {@code ratePerSecond} times a second; past that it is answered without being looked at.
 * The number of buckets is bounded: past {@code maxCallers}, new callers share one bucket, so that an
 * attacker with many addresses cannot make the table grow, only limit itself harder.
 */
final class RefusalLimiter {
    /** The bucket callers share once the table is full. */
    static final String OVERFLOW = "overflow";

    private final double ratePerNano;
    private final double burst;
    private final int maxCallers;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RefusalLimiter(double ratePerSecond, int burst, int maxCallers, LongSupplier nanoTime) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.maxCallers = maxCallers;
        this.nanoTime = nanoTime;
    }

    /** How long until {@code caller} may be refused again; empty when it may be now. Takes nothing. */
    Optional<Duration> waitFor(String caller) {
        Bucket bucket = buckets.get(caller);
        if (bucket == null && buckets.size() >= maxCallers) {
            bucket = buckets.get(OVERFLOW);
        }
        return bucket == null ? Optional.empty() : bucket.waitFor(nanoTime.getAsLong(), false);
    }

    /** Spends one refusal of {@code caller}: empty when it had one, else how long until it has. */
    Optional<Duration> take(String caller) {
        return bucketOf(caller).waitFor(nanoTime.getAsLong(), true);
    }

    /** Forgets callers whose bucket is full again: they are as good as new. */
    void sweep() {
        long now = nanoTime.getAsLong();
        buckets.values().removeIf(bucket -> bucket.isFull(now));
    }

    int tracked() {
        return buckets.size();
    }

    private Bucket bucketOf(String caller) {
        Bucket bucket = buckets.get(caller);
        if (bucket != null) {
            return bucket;
        }
        String key = buckets.size() >= maxCallers ? OVERFLOW : caller;
        return buckets.computeIfAbsent(key, k -> new Bucket(burst, nanoTime.getAsLong()));
    }

    private final class Bucket {
        private double tokens;
        private long updated;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updated = now;
        }

        synchronized Optional<Duration> waitFor(long now, boolean take) {
            refill(now);
            if (tokens >= 1) {
                if (take) {
                    tokens -= 1;
                }
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos((long) Math.ceil((1 - tokens) / ratePerNano)));
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            if (now > updated) {
                tokens = Math.min(burst, tokens + (now - updated) * ratePerNano);
                updated = now;
            }
        }
    }
}
