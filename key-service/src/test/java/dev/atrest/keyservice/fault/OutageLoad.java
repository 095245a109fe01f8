package dev.atrest.keyservice.fault;

import dev.atrest.keyservice.support.Client;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.SetClusterEncryptionRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load that keeps going through a database outage: one thread writing each cluster's rotation period
 * (a new, larger value every time, so the last acknowledged one can be told from any later attempt)
 * and threads asking for database keys, old ones (cached) and new ones (first use needs the database).
 * Every failed call is kept with its code, message and duration.
 */
final class OutageLoad {
    private static final int KEY_CLIENTS = 4;
    private static final int FIRST_PERIOD_DAYS = 30;
    private static final int LAST_PERIOD_DAYS = 3650;

    /** A call that failed: what it was, its status, and how long the caller waited for it. */
    record Failure(String call, Status.Code code, String message, long millis) {
        @Override
        public String toString() {
            return call + ": " + code + " \"" + message + "\" after " + millis + " ms";
        }
    }

    private final String project;
    private final List<String> clusters;
    private final int knownDatabases;
    private final ReleasedKeys released;
    private final Map<String, Integer> acknowledgedPeriods = new ConcurrentHashMap<>();
    private final AtomicInteger nextPeriod = new AtomicInteger(FIRST_PERIOD_DAYS);
    private final AtomicInteger newDatabases = new AtomicInteger();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    OutageLoad(String project, List<String> clusters, int knownDatabases, ReleasedKeys released) {
        this.project = project;
        this.clusters = clusters;
        this.knownDatabases = knownDatabases;
        this.released = released;
    }

    void start(Client admin, Client consumer, Random seeds) {
        stop.set(false);
        run("outage-writer", () -> {
            while (!stop.get()) {
                writePeriod(admin, clusters.get(nextPeriod.get() % clusters.size()));
            }
        });
        for (int i = 0; i < KEY_CLIENTS; i++) {
            Random random = new Random(seeds.nextLong());
            run("outage-keys-" + i, () -> {
                while (!stop.get()) {
                    requestKey(consumer, random);
                }
            });
        }
    }

    void stop() throws InterruptedException {
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        threads.clear();
    }

    /** True when a configuration write goes through again. */
    boolean writes(Client admin) {
        return writePeriod(admin, clusters.get(0));
    }

    /** Calls that failed since the last {@link #clearFailures()}. */
    List<Failure> failures() {
        return List.copyOf(failures);
    }

    void clearFailures() {
        failures.clear();
    }

    int answered() {
        return answered.get();
    }

    /** The cluster's last acknowledged rotation period: it, or a later attempt, must be stored. */
    Map<String, Integer> acknowledgedPeriods() {
        return Map.copyOf(acknowledgedPeriods);
    }

    private boolean writePeriod(Client admin, String cluster) {
        int period = Math.min(nextPeriod.getAndIncrement(), LAST_PERIOD_DAYS);
        SetClusterEncryptionRequest request = SetClusterEncryptionRequest.newBuilder().setProjectId(project)
                .setClusterName(cluster).setEncryptionAtRestProvider(EncryptionAtRestProvider.LOCAL)
                .setRotationPeriodDays(period).build();
        return call("SetClusterEncryption " + cluster + " " + period + " days", () -> {
            admin.clusters().setClusterEncryption(request);
            acknowledgedPeriods.merge(cluster, period, Math::max);
        });
    }

    private void requestKey(Client consumer, Random random) {
        String cluster = clusters.get(random.nextInt(clusters.size()));
        String database = random.nextBoolean() ? "db" + random.nextInt(knownDatabases)
                : "new" + newDatabases.incrementAndGet();
        call("GetDatabaseKey " + cluster + "/" + database, () -> released.record(consumer.databaseKeys()
                .getDatabaseKey(GetDatabaseKeyRequest.newBuilder().setProjectId(project).setClusterName(cluster)
                        .setDatabaseName(database).build())));
    }

    private boolean call(String what, Runnable call) {
        long start = System.nanoTime();
        try {
            call.run();
            answered.incrementAndGet();
            return true;
        } catch (StatusRuntimeException e) {
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            failures.add(new Failure(what, e.getStatus().getCode(), e.getStatus().getDescription(), millis));
            Rows.sleep(20); // a client backs off a little before trying again
            return false;
        }
    }

    private void run(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.start();
        threads.add(thread);
    }
}
