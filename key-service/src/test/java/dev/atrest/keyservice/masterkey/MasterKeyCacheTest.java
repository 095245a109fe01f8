package dev.atrest.keyservice.masterkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.crypto.KeyMaterial;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The master-key cache on a hand-driven clock: one unwrap per key and TTL, and zeroing that never hits a user. */
class MasterKeyCacheTest {
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final byte[] BYTES = new byte[KeyMaterial.LENGTH_BYTES];

    static {
        Arrays.fill(BYTES, (byte) 7);
    }

    private final AtomicLong nanos = new AtomicLong();
    private final MasterKeyCache cache = new MasterKeyCache(TTL, nanos::get);
    private final Queue<KeyMaterial> opened = new ConcurrentLinkedQueue<>();
    private final AtomicInteger opens = new AtomicInteger();
    private final Function<MasterKeyId, KeyMaterial> opener = id -> {
        opens.incrementAndGet();
        KeyMaterial key = KeyMaterial.copyOf(BYTES);
        opened.add(key);
        return key;
    };

    @Test
    void lease_sameKeyManyTimes_unwrappedOnce() {
        for (int i = 0; i < 100; i++) {
            try (CachedMasterKey.Lease lease = cache.lease(id("p1", 1), opener)) {
                assertThat(lease.key().copyBytes()).isEqualTo(BYTES);
            }
        }

        assertThat(opens).hasValue(1);
    }

    @Test
    void lease_otherWrappingOfSameVersion_unwrappedAgain() {
        cache.lease(id("p1", 1), opener).close();
        cache.lease(new MasterKeyId("p1", "c1", 1, 2, "moved-to-new-cmk"), opener).close();

        assertThat(opens).hasValue(2);
    }

    @Test
    void lease_openFails_failureNotRememberedAndNextLeaseOpensAgain() {
        assertThatThrownBy(() -> cache.lease(id("p1", 1), failing -> {
            opens.incrementAndGet();
            throw new IllegalStateException("master key does not open");
        })).isInstanceOf(IllegalStateException.class);

        try (CachedMasterKey.Lease lease = cache.lease(id("p1", 1), opener)) {
            assertThat(lease.key().copyBytes()).isEqualTo(BYTES);
        }
        assertThat(opens).hasValue(2);
    }

    @Test
    void lease_afterTtl_unwrappedAgainAndOldKeyZeroed() {
        cache.lease(id("p1", 1), opener).close();
        KeyMaterial first = opened.peek();

        nanos.addAndGet(TTL.toNanos() + 1);
        cache.lease(id("p1", 1), opener).close();

        assertThat(opens).hasValue(2);
        assertZeroed(first);
    }

    @Test
    void lease_usedWithinTtl_stillExpiresOnTime() {
        cache.lease(id("p1", 1), opener).close();
        for (int minute = 1; minute < 5; minute++) {
            nanos.addAndGet(Duration.ofMinutes(1).toNanos());
            cache.lease(id("p1", 1), opener).close();
        }
        nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        cache.lease(id("p1", 1), opener).close();

        assertThat(opens).hasValue(2);
    }

    @Test
    void invalidateProject_whileLeased_keyIntactUntilTheLeaseCloses() {
        CachedMasterKey.Lease lease = cache.lease(id("p1", 1), opener);

        cache.invalidateProject("p1");

        KeyMaterial key = lease.key();
        assertThat(key.copyBytes()).isEqualTo(BYTES);
        lease.close();
        assertZeroed(key);
        cache.lease(id("p1", 1), opener).close();
        assertThat(opens).hasValue(2);
    }

    @Test
    void invalidateProject_notLeased_zeroedAtOnceAndOtherProjectsKept() {
        cache.lease(id("p1", 1), opener).close();
        cache.lease(id("p2", 1), opener).close();
        KeyMaterial p1 = opened.peek();

        cache.invalidateProject("p1");

        assertZeroed(p1);
        cache.lease(id("p2", 1), opener).close();
        assertThat(opens).hasValue(2);
    }

    @Test
    void lease_racingInvalidations_everyCallSeesIntactKeyAndEveryDroppedKeyIsZeroed() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        Queue<Throwable> seen = new ConcurrentLinkedQueue<>();
        List<Thread> users = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            users.add(new Thread(() -> {
                for (int i = 0; i < 5_000; i++) {
                    try (CachedMasterKey.Lease lease = cache.lease(id("p1", 1 + i % 3), opener)) {
                        if (!Arrays.equals(lease.key().copyBytes(), BYTES)) {
                            seen.add(new AssertionError("a leased key changed under its user"));
                        }
                    } catch (RuntimeException e) {
                        seen.add(e);
                    }
                }
            }));
        }
        Thread invalidator = new Thread(() -> {
            while (running.get()) {
                cache.invalidateProject("p1");
                nanos.addAndGet(TTL.toNanos() / 100);
            }
        });
        invalidator.start();
        users.forEach(Thread::start);
        for (Thread user : users) {
            user.join();
        }
        running.set(false);
        invalidator.join();
        cache.invalidateProject("p1");

        assertThat(seen).isEmpty();
        assertThat(opens.get()).isGreaterThan(1); // the invalidations really dropped keys in use
        assertThat(opened).allSatisfy(MasterKeyCacheTest::assertZeroed);
    }

    @Test
    void checkedTtl_longerThanValidationInterval_refused() {
        assertThatThrownBy(() -> MasterKeyCache.checkedTtl(Duration.ofMinutes(16), Duration.ofMinutes(15)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("atrest.cache.master-key-ttl")
                .hasMessageContaining("atrest.validation.interval");
        assertThat(MasterKeyCache.checkedTtl(Duration.ofMinutes(15), Duration.ofMinutes(15)))
                .isEqualTo(Duration.ofMinutes(15));
    }

    private static MasterKeyId id(String project, int version) {
        return new MasterKeyId(project, "c1", version, 1, "digest");
    }

    private static void assertZeroed(KeyMaterial key) {
        assertThatThrownBy(key::copyBytes).isInstanceOf(IllegalStateException.class);
    }
}
