package dev.atrest.keyservice.fault;

import static dev.atrest.keyservice.support.Requests.enableAws;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.Client;
import dev.atrest.keyservice.support.ItDatabase;
import dev.atrest.keyservice.support.Moto;
import dev.atrest.keyservice.support.ServiceProcess;
import dev.atrest.testsupport.Awaits;
import dev.atrest.testsupport.FaultTally;
import dev.atrest.v1.AwsKmsConfig;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.RotateMasterKeyRequest;
import dev.atrest.v1.RotationStatus;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * 64 rotations at once with every KMS response 2 s late (toxiproxy → moto), while GetDatabaseKey's first-use
 * path (a new database name on a cluster whose master key is cached) keeps being called: a running or waiting
 * rotation holds no pooled connection (its lock is a lease, and KMS answers outside its transactions), so every
 * first-use call still answers within a 1 s deadline, against a pool of 32 connections that 64 pinned locks
 * would exhaust (5 s waits for a connection). Then every rotation has finished once and every key released
 * before it is still the same bytes. Figures (first-use p50/p99 under the load against a baseline measured
 * before it, in this run) go to target/fault-results/SlowKmsRotationsIT.latency beside the tally.
 */
class SlowKmsRotationsIT {
    private static final int ROTATIONS = 64;
    private static final int KEYS_PER_CLUSTER = 1;
    private static final long KMS_LATENCY_MILLIS = 2_000;
    /** The first-use path answers in milliseconds; a pinned pool would keep it waiting seconds for a connection. */
    private static final Duration FIRST_USE_DEADLINE = Duration.ofSeconds(1);
    private static final int BASELINE_CALLS = 400;
    private static final int CALLERS = 2;
    /** Between a caller's calls: the callers probe the service, they are not the load (2 cores host it all). */
    private static final long PAUSE_MILLIS = 5;
    private static final long STAGGER_MILLIS = 20;
    private static final Duration ROTATIONS_LIMIT = Duration.ofSeconds(75);
    private static final String ACCESS_KEY_ID = "AKIASLOWKMSROTATION1";
    private static final String SECRET = "slow-kms-rotations-secret-access-key";

    @Test
    void rotations_kmsTwoSecondsLate_firstUseAnswersWithinItsDeadlineAndEveryRotationFinishes() throws Exception {
        FaultRun run = FaultRun.of("SlowKmsRotationsIT", 0);
        Rows rows = new Rows(ItDatabase.shared());
        String project = Api.uniqueId("slowkms");
        String probe = Api.uniqueId("firstuse");
        List<String> clusters = IntStream.range(0, ROTATIONS).mapToObj(i -> "c" + i).toList();
        try (FaultTally tally = run.tally();
             KmsPath kms = KmsPath.open();
             ServiceProcess service = new ServiceProcess("slow-kms-rotations", ItDatabase.shared(), run.dataDir,
                     run.sealKey, "1h")
                     .with("atrest.aws.endpoint-override", kms.serviceEndpoint().toString())
                     .with("atrest.validation.interval", "1h").start()) {
            Client consumer = service.as(CrashSetup.consumerToken(service, "slow-kms-consumer"));
            service.projects().updateProjectEncryption(enableAws(project, cmk(kms.createKey())));
            Map<String, ByteString> released = new LinkedHashMap<>();
            for (String cluster : clusters) {
                service.clusters().setClusterEncryption(setCluster(project, cluster, EncryptionAtRestProvider.AWS));
                for (int k = 0; k < KEYS_PER_CLUSTER; k++) {
                    released.put(cluster + "/db" + k, key(consumer, project, cluster, "db" + k, Duration.ofSeconds(30)));
                }
            }
            // The cluster whose first uses are timed, in a project of its own (a finished rotation rightly drops
            // its project's cached master keys): its master key is opened, and cached, by this first key.
            service.projects().updateProjectEncryption(enableAws(probe, cmk(kms.createKey())));
            service.clusters().setClusterEncryption(setCluster(probe, "c0", EncryptionAtRestProvider.AWS));
            key(consumer, probe, "c0", "warm-up", Duration.ofSeconds(30));

            // The baseline: the same callers, as many at once, before KMS slows down and the rotations start.
            Latencies baseline = new Latencies();
            AtomicInteger names = new AtomicInteger();
            ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
            List<Future<?>> measuring = new ArrayList<>();
            for (int c = 0; c < CALLERS; c++) {
                measuring.add(callers.submit(() -> {
                    for (int n = names.incrementAndGet(); n <= BASELINE_CALLS; n = names.incrementAndGet()) {
                        String database = "base-" + n;
                        baseline.time(() -> key(consumer, probe, "c0", database, FIRST_USE_DEADLINE));
                        Rows.sleep(PAUSE_MILLIS);
                    }
                }));
            }
            for (Future<?> caller : measuring) {
                caller.get(60, TimeUnit.SECONDS);
            }

            kms.addToxic("slow", "latency", "downstream", Map.of("latency", KMS_LATENCY_MILLIS, "jitter", 0L));
            tally.faults(1);
            long started = System.nanoTime();
            Latencies underLoad = new Latencies();
            AtomicBoolean rotating = new AtomicBoolean(true);
            List<Future<?>> calling = new ArrayList<>();
            for (int c = 0; c < CALLERS; c++) {
                calling.add(callers.submit(() -> {
                    while (rotating.get()) {
                        String database = "load-" + names.incrementAndGet();
                        underLoad.time(() -> key(consumer, probe, "c0", database, FIRST_USE_DEADLINE));
                        Rows.sleep(PAUSE_MILLIS);
                    }
                }));
            }
            // Sent 20 ms apart rather than in one burst of 64 RPCs on 2 shared cores: each rotation lasts
            // seconds (a KMS call of 2 s to create its key, two to open its versions), so all 64 still overlap.
            List<ListenableFuture<RotationStatus>> rotations = new ArrayList<>();
            for (String cluster : clusters) {
                rotations.add(service.clustersAsync().rotateMasterKey(rotate(project, cluster)));
                Rows.sleep(STAGGER_MILLIS);
            }
            try {
                tally.verify("64 rotations with KMS " + KMS_LATENCY_MILLIS + " ms late", () -> {
                    for (ListenableFuture<RotationStatus> rotation : rotations) {
                        rotation.get(ROTATIONS_LIMIT.toSeconds(), TimeUnit.SECONDS);
                    }
                    Awaits.until("every rotation finished", ROTATIONS_LIMIT, () -> clusters.stream()
                            .allMatch(cluster -> rows.version(project, cluster) == 2 && !rows.rotating(project, cluster)));
                });
            } finally {
                rotating.set(false);
                for (Future<?> caller : calling) {
                    caller.get(30, TimeUnit.SECONDS);
                }
                callers.shutdownNow();
                kms.removeToxic("slow");
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            underLoad.report(tally);
            record(baseline, underLoad, took);

            tally.verify("first use during the rotations", () -> {
                assertThat(underLoad.failures).as("first-use calls that failed or missed their %s deadline",
                        FIRST_USE_DEADLINE).isEmpty();
                assertThat(underLoad.count()).as("first-use calls made while the rotations ran").isGreaterThan(50);
            });
            tally.verify("every rotation once, every key kept", () -> {
                long notOnce = clusters.stream().filter(cluster -> !rows.masterKeyVersions(project, cluster)
                        .equals(List.of(1, 2))).count();
                tally.writesLost(notOnce);
                assertThat(notOnce).as("clusters not rotated exactly once").isZero();
                long lost = released.entrySet().stream().filter(e -> {
                    String[] name = e.getKey().split("/");
                    return !key(consumer, project, name[0], name[1], Duration.ofSeconds(30)).equals(e.getValue());
                }).count();
                tally.keysLost(lost);
                assertThat(lost).as("database keys no longer the bytes released before the rotations").isZero();
            });
        }
    }

    /** Call durations in milliseconds, and what failed, from several callers at once. */
    private static final class Latencies {
        private final ConcurrentLinkedQueue<Double> millis = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final long origin = System.nanoTime();

        void time(Runnable call) {
            long start = System.nanoTime();
            try {
                call.run();
                millis.add((System.nanoTime() - start) / 1e6);
            } catch (StatusRuntimeException e) {
                failures.add(e.getStatus().getCode() + " after " + (System.nanoTime() - start) / 1_000_000 + " ms, "
                        + (start - origin) / 1_000_000 + " ms into the run: " + e.getStatus().getDescription());
            }
        }

        int count() {
            return millis.size() + failures.size();
        }

        double percentile(double p) {
            List<Double> sorted = new ArrayList<>(millis);
            Collections.sort(sorted);
            return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
        }

        void report(FaultTally tally) {
            for (int i = 0; i < count(); i++) {
                tally.trial();
            }
        }
    }

    /** The figures beside the tally: the same columns for the baseline and the load, and their ratio. */
    private static void record(Latencies baseline, Latencies underLoad, Duration took) throws IOException {
        String line = String.format("%d\t%d\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%d%n", ROTATIONS, KMS_LATENCY_MILLIS,
                underLoad.count(), baseline.percentile(0.50), baseline.percentile(0.99), underLoad.percentile(0.50),
                underLoad.percentile(0.99), underLoad.percentile(0.99) / baseline.percentile(0.99),
                underLoad.percentile(1.0), took.toMillis());
        String header = "rotations\tkms_latency_ms\tfirst_use_calls_under_load\tbaseline_p50_ms\tbaseline_p99_ms"
                + "\tload_p50_ms\tload_p99_ms\tp99_ratio\tload_max_ms\trotations_ms\n";
        Path dir = Path.of(System.getProperty("fault.results.dir", "target/fault-results"));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("SlowKmsRotationsIT.latency"), header + line, StandardCharsets.UTF_8);
        System.out.print("SlowKmsRotationsIT: " + header + "SlowKmsRotationsIT: " + line);
        System.out.printf("SlowKmsRotationsIT: %d failed first-use calls%s%n", underLoad.failures.size(),
                underLoad.failures.isEmpty() ? "" : ", e.g. " + underLoad.failures.peek());
    }

    private static ByteString key(Client consumer, String project, String cluster, String database, Duration deadline) {
        return consumer.databaseKeys().withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .getDatabaseKey(GetDatabaseKeyRequest.newBuilder().setProjectId(project).setClusterName(cluster)
                        .setDatabaseName(database).build()).getKey();
    }

    private static RotateMasterKeyRequest rotate(String project, String cluster) {
        return RotateMasterKeyRequest.newBuilder().setProjectId(project).setClusterName(cluster).build();
    }

    private static AwsKmsConfig.Builder cmk(String keyArn) {
        return AwsKmsConfig.newBuilder().setCustomerMasterKeyId(keyArn).setRegion(Moto.REGION)
                .setAccessKeyId(ACCESS_KEY_ID).setSecretAccessKey(SECRET);
    }
}
