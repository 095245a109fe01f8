package dev.atrest.keyservice.datakey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.domain.PreconditionFailedException;
import dev.atrest.keyservice.domain.PreconditionFailedException.Reason;
import dev.atrest.keyservice.masterkey.MasterKeyId;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What the data plane remembers from the database: admissions and stored keys, never refusals, never stale loads. */
class ReleaseCacheTest {
    private static final Duration TTL = Duration.ofMinutes(5);

    private final AtomicLong nanos = new AtomicLong();
    private final ReleaseCache cache = new ReleaseCache(TTL, nanos::get);
    private final AtomicInteger checks = new AtomicInteger();
    private final AtomicInteger loads = new AtomicInteger();

    @Test
    void requireReleasable_admitted_notCheckedAgainWithinTtl() {
        for (int i = 0; i < 3; i++) {
            cache.requireReleasable("p1", "c1", checks::incrementAndGet);
        }
        nanos.addAndGet(TTL.toNanos() + 1);
        cache.requireReleasable("p1", "c1", checks::incrementAndGet);

        assertThat(checks).hasValue(2);
    }

    @Test
    void requireReleasable_refused_refusalNotRemembered() {
        Runnable refuse = () -> {
            checks.incrementAndGet();
            throw new PreconditionFailedException(Reason.ENCRYPTION_AT_REST_NOT_ENABLED, "not encrypted");
        };
        assertThatThrownBy(() -> cache.requireReleasable("p1", "c1", refuse))
                .isInstanceOf(PreconditionFailedException.class);

        cache.requireReleasable("p1", "c1", checks::incrementAndGet);

        assertThat(checks).hasValue(2);
    }

    @Test
    void invalidateProject_itsEntriesReadAgainOthersKept() {
        cache.requireReleasable("p1", "c1", checks::incrementAndGet);
        cache.requireReleasable("p2", "c1", checks::incrementAndGet);
        stored("p1");
        stored("p2");

        cache.invalidateProject("p1");
        cache.requireReleasable("p1", "c1", checks::incrementAndGet);
        cache.requireReleasable("p2", "c1", checks::incrementAndGet);
        stored("p1");
        stored("p2");

        assertThat(checks).hasValue(3);
        assertThat(loads).hasValue(3);
    }

    @Test
    void invalidateProject_duringALoad_thatLoadIsNotServedAfterwards() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch committed = new CountDownLatch(1);
        CompletableFuture<StoredDatabaseKey> stale = CompletableFuture.supplyAsync(() ->
                cache.stored("p1", "c1", "orders", 0, () -> {
                    loading.countDown();
                    await(committed); // the change commits after this load read the database
                    return key(1);
                }));
        await(loading);

        cache.invalidateProject("p1");
        committed.countDown();

        assertThat(stale.get().masterKeyVersion()).isEqualTo(1);
        assertThat(cache.stored("p1", "c1", "orders", 0, () -> key(2)).masterKeyVersion()).isEqualTo(2);
    }

    @Test
    void databaseKeyRotated_currentKeyReadAgainNumberedVersionsAndOtherDatabasesKept() {
        cache.stored("p1", "c1", "orders", 0, () -> key(1));
        cache.stored("p1", "c1", "orders", 1, () -> key(1));
        cache.stored("p1", "c1", "payments", 0, () -> key(1));

        cache.databaseKeyRotated("p1", "c1", "orders");

        assertThat(cache.stored("p1", "c1", "orders", 0, () -> key(2)).masterKeyVersion()).isEqualTo(2);
        assertThat(cache.stored("p1", "c1", "orders", 1, () -> key(3)).masterKeyVersion()).isEqualTo(1);
        assertThat(cache.stored("p1", "c1", "payments", 0, () -> key(3)).masterKeyVersion()).isEqualTo(1);
    }

    @Test
    void databaseKeyRotated_duringALoadOfTheCurrentKey_thatLoadIsNotServedAfterwards() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch committed = new CountDownLatch(1);
        CompletableFuture<StoredDatabaseKey> stale = CompletableFuture.supplyAsync(() ->
                cache.stored("p1", "c1", "orders", 0, () -> {
                    loading.countDown();
                    await(committed); // the rotation commits after this load read the database
                    return key(1);
                }));
        await(loading);

        cache.databaseKeyRotated("p1", "c1", "orders");
        committed.countDown();

        assertThat(stale.get().masterKeyVersion()).isEqualTo(1);
        assertThat(cache.stored("p1", "c1", "orders", 0, () -> key(2)).masterKeyVersion()).isEqualTo(2);
    }

    @Test
    void databaseKeyRotated_thenProjectInvalidated_currentKeyStillReadAgain() {
        cache.databaseKeyRotated("p1", "c1", "orders");
        cache.stored("p1", "c1", "orders", 0, () -> key(1));

        cache.invalidateProject("p1");
        cache.databaseKeyRotated("p1", "c1", "orders");

        assertThat(cache.stored("p1", "c1", "orders", 0, () -> key(2)).masterKeyVersion()).isEqualTo(2);
    }

    @Test
    void forget_keyThatFailedToOpen_readAgainByTheNextCallUnderEitherName() {
        cache.stored("p1", "c1", "orders", 0, () -> key(1));
        cache.stored("p1", "c1", "orders", 1, () -> key(1));
        stored("p2");

        cache.forget("p1", "c1", "orders", 0, 1);

        assertThat(cache.stored("p1", "c1", "orders", 0, () -> key(2)).masterKeyVersion()).isEqualTo(2);
        assertThat(cache.stored("p1", "c1", "orders", 1, () -> key(3)).masterKeyVersion()).isEqualTo(3);
        stored("p2");
        assertThat(loads).as("another project's key is kept").hasValue(1);
    }

    @Test
    void stored_loadFails_failureNotRemembered() {
        assertThatThrownBy(() -> cache.stored("p1", "c1", "orders", 0, () -> {
            throw new IllegalStateException("row unreadable");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(cache.stored("p1", "c1", "orders", 0, () -> key(1)).masterKeyVersion()).isEqualTo(1);
    }

    private void stored(String project) {
        cache.stored(project, "c1", "orders", 0, () -> {
            loads.incrementAndGet();
            return key(1);
        });
    }

    private static StoredDatabaseKey key(int masterKeyVersion) {
        return new StoredDatabaseKey(1, masterKeyVersion, new byte[] {1},
                new MasterKeyId("p1", "c1", masterKeyVersion, 1, "digest"), Instant.EPOCH);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
