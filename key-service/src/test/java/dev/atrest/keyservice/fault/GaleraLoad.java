package dev.atrest.keyservice.fault;

import dev.atrest.keyservice.support.Client;
import dev.atrest.v1.GetDatabaseKeyRequest;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * GetDatabaseKey load through both Galera replicas, alternating, while the test kills or restarts database
 * nodes: half the calls ask for databases that have no key yet (first-use creation racing across replicas).
 * A refused call is counted by its code and the client carries on, as a caller retrying would. Knows when
 * the last refusal and the first answer after a fault happened: the time callers saw the database gone.
 */
final class GaleraLoad implements AutoCloseable {
    private static final int CLIENTS = 6;
    /** New databases each client may reach per second of load: enough first uses to race through a kill. */
    private static final int NEW_DATABASES_PER_SECOND = 20;

    private final String project;
    private final List<String> clusters;
    private final ReleasedKeys released;
    private final List<Client> replicas;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicLong answered = new AtomicLong();
    private final Map<String, AtomicLong> refusedByCode = new ConcurrentHashMap<>();
    private final AtomicLong lastRefusalNanos = new AtomicLong();
    private final AtomicLong lastAnswerNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong longestSilenceNanos = new AtomicLong();
    private final AtomicInteger databases = new AtomicInteger(20);
    private final List<Thread> threads = new ArrayList<>();
    private final long startNanos = System.nanoTime();

    GaleraLoad(String project, List<String> clusters, ReleasedKeys released, List<Client> replicas) {
        this.project = project;
        this.clusters = clusters;
        this.released = released;
        this.replicas = replicas;
    }

    GaleraLoad start(long seed) {
        Random seeds = new Random(seed);
        for (int i = 0; i < CLIENTS; i++) {
            Random random = new Random(seeds.nextLong());
            Client replica = replicas.get(i % replicas.size());
            Thread thread = new Thread(() -> requestUntilStopped(replica, random), "galera-load-" + i);
            thread.start();
            threads.add(thread);
        }
        return this;
    }

    private void requestUntilStopped(Client replica, Random random) {
        while (!stopping.get()) {
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
            int known = (int) Math.min(Integer.MAX_VALUE, 20 + seconds * NEW_DATABASES_PER_SECOND);
            databases.accumulateAndGet(known, Math::max);
            int database = random.nextBoolean() ? known - 1 - random.nextInt(Math.min(known, 10))
                    : random.nextInt(known);
            try {
                released.record(replica.databaseKeys().withDeadlineAfter(30, TimeUnit.SECONDS)
                        .getDatabaseKey(GetDatabaseKeyRequest.newBuilder().setProjectId(project)
                                .setClusterName(clusters.get(random.nextInt(clusters.size())))
                                .setDatabaseName("db" + database).build()));
                answered.incrementAndGet();
                long now = System.nanoTime();
                long silence = now - lastAnswerNanos.getAndSet(now);
                longestSilenceNanos.accumulateAndGet(silence, Math::max);
            } catch (StatusRuntimeException e) {
                refusedByCode.computeIfAbsent(e.getStatus().getCode().name(), code -> new AtomicLong()).incrementAndGet();
                lastRefusalNanos.set(System.nanoTime());
                Rows.sleep(50); // a caller's retry backoff
            }
        }
    }

    /**
     * The longest time no client got an answer, in ms: how long callers saw the service stall or refuse. Set
     * {@link #resetSilence()} once the load runs, so that the first calls' start-up does not count.
     */
    long longestSilenceMillis() {
        return TimeUnit.NANOSECONDS.toMillis(longestSilenceNanos.get());
    }

    void resetSilence() {
        longestSilenceNanos.set(0);
    }

    long answered() {
        return answered.get();
    }

    /** Refused calls by gRPC code, e.g. {UNAVAILABLE=12, ABORTED=1}. */
    Map<String, Long> refusedByCode() {
        Map<String, Long> codes = new TreeMap<>();
        refusedByCode.forEach((code, count) -> codes.put(code, count.get()));
        return codes;
    }

    long refused() {
        return refusedByCode.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** When the last call was refused (System.nanoTime), 0 if none was. */
    long lastRefusalNanos() {
        return lastRefusalNanos.get();
    }

    @Override
    public void close() throws InterruptedException {
        stopping.set(true);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        }
    }
}
