package dev.atrest.keyservice.datakey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.store.DatabaseKeyRepository;
import dev.atrest.keyservice.support.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The race for a database's first key below the caches, where it happens between replicas: the unique
 * key refuses every first key but one, and the losers return the winner's.
 */
@QuarkusTest
class FirstKeyRaceTest {
    @Inject
    DatabaseKeys databaseKeys;

    @Inject
    DatabaseKeyRepository rows;

    @Test
    void createFirst_anotherCallStoredItMeanwhile_returnsThatKey() {
        String project = Api.encryptedLocalProject("race", "c1");
        byte[] winner;
        try (ReleasedDatabaseKey key = databaseKeys.getOrCreate(project, "c1", "orders")) {
            winner = key.key().copyBytes();
        }

        // A caller that read "no key yet" before the winner stored it.
        StoredDatabaseKey loser = databaseKeys.createFirst(project, "c1", "orders").orElseThrow();

        assertThat(loser.version()).isEqualTo(1);
        assertThat(hex(loser.wrappedKey())).isEqualTo(storedWrappedKey(project, "orders"));
        try (ReleasedDatabaseKey key = databaseKeys.getOrCreate(project, "c1", "orders")) {
            assertThat(key.key().copyBytes()).isEqualTo(winner);
        }
        assertThat(storedRows(project, "orders")).isEqualTo(1);
    }

    @Test
    void createFirst_manyAtOnce_oneRowAndEveryCallerGetsIt() throws Exception {
        String project = Api.encryptedLocalProject("race", "c1");
        databaseKeys.getOrCreate(project, "c1", "warm-up").close(); // the master key is in memory: inserts race
        int callers = 16;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<StoredDatabaseKey> results = new ArrayList<>();
        try {
            List<Future<StoredDatabaseKey>> pending = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                pending.add(pool.submit(() -> {
                    start.await();
                    return databaseKeys.createFirst(project, "c1", "orders").orElseThrow();
                }));
            }
            start.countDown();
            for (Future<StoredDatabaseKey> result : pending) {
                results.add(result.get());
            }
        } finally {
            pool.shutdownNow();
        }

        Set<String> wrapped = results.stream().map(key -> hex(key.wrappedKey())).collect(Collectors.toSet());
        assertThat(wrapped).containsExactly(storedWrappedKey(project, "orders"));
        assertThat(storedRows(project, "orders")).isEqualTo(1);
    }

    private long storedRows(String project, String database) {
        return QuarkusTransaction.requiringNew().call(() -> rows.count(
                "projectId = ?1 and clusterName = ?2 and databaseName = ?3", project, "c1", database));
    }

    private String storedWrappedKey(String project, String database) {
        return QuarkusTransaction.requiringNew().call(() ->
                hex(rows.findLatest(project, "c1", database).orElseThrow().wrappedKey));
    }


    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
