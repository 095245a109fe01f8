package dev.atrest.keyservice.datakey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.store.DatabaseKeyRepository;
import dev.atrest.v1.DatabaseKey;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Many first calls at once over real gRPC: one key per database, the same for every caller. */
@QuarkusTest
class DatabaseKeyConcurrencyTest {
    private static final int CALLERS = 32;
    private static final List<String> DATABASES = List.of("orders", "payments", "users", "events");

    @Inject
    DatabaseKeyRepository rows;

    @Test
    void getDatabaseKey_concurrentFirstCalls_oneKeyPerDatabaseForEveryCaller() throws Exception {
        String project = DatabaseKeyGrpcTest.encryptedProject();
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<DatabaseKey>> calls = new ArrayList<>();
        for (int caller = 0; caller < CALLERS; caller++) {
            for (String database : DATABASES) {
                calls.add(() -> {
                    start.await();
                    return DatabaseKeyGrpcTest.get(project, database, 0);
                });
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        List<DatabaseKey> keys = new ArrayList<>();
        try {
            List<Future<DatabaseKey>> pending = calls.stream().map(pool::submit).toList();
            start.countDown();
            for (Future<DatabaseKey> key : pending) {
                keys.add(key.get());
            }
        } finally {
            pool.shutdownNow();
        }

        Map<String, Set<String>> distinct = keys.stream().collect(Collectors.groupingBy(DatabaseKey::getDatabaseName,
                Collectors.mapping(key -> HexFormat.of().formatHex(key.getKey().toByteArray()) + "@" + key.getVersion(), Collectors.toSet())));
        assertThat(keys).hasSize(CALLERS * DATABASES.size());
        assertThat(distinct).hasSize(DATABASES.size()).allSatisfy((database, bytes) -> assertThat(bytes).hasSize(1));
        for (String database : DATABASES) {
            long stored = QuarkusTransaction.requiringNew().call(() -> rows.count(
                    "projectId = ?1 and clusterName = ?2 and databaseName = ?3", project, "c1", database));
            assertThat(stored).as("rows of %s", database).isEqualTo(1);
        }
    }
}
