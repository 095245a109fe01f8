package dev.atrest.keyservice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.bench.LatencyProbe.Latencies;
import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.crypto.KeyWrapper;
import dev.atrest.keyservice.datakey.DatabaseKeys;
import dev.atrest.keyservice.datakey.ReleasedDatabaseKey;
import dev.atrest.keyservice.kms.LocalRootKeyProvider;
import dev.atrest.keyservice.support.Api;
import dev.atrest.v1.GetRotationStatusRequest;
import dev.atrest.v1.RotateMasterKeyRequest;
import dev.atrest.v1.RotationStatus;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The rotation benchmark: key-service/bench/rotation.sh runs it; its tag "bench" keeps it out of the suite
 * (the key-service pom excludes that group unless -Dtest.excludedGroups says otherwise).
 * For each size in {@code -Datrest.bench.sizes} ({@link BenchSettings}): seeds that many database keys
 * into a LOCAL cluster, then alternates a plain JDBC batch update of the same rows with a RotateMasterKey
 * run to its end, while another caller reads a second project. Prints the table and writes it to
 * target/bench/rotation.txt.
 * Nothing here asserts a time: the figures are for people; the checks are that every key moved and
 * still unwraps to its bytes, and that no other call failed.
 */
@QuarkusTest
@Tag("bench")
class RotationBenchmark {
    private static final String CLUSTER = "c1";
    private static final int WARM_UP_KEYS = 2_000;
    private static final Duration IDLE_SAMPLE = Duration.ofSeconds(3);
    private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(30);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    LocalRootKeyProvider localRoot;

    @Inject
    KeyWrapper wrapper;

    @Inject
    DatabaseKeys databaseKeys;

    @Inject
    AtrestConfig config;

    @Inject
    BenchSettings settings;

    @Test
    void rotate_seededClusters_printsRotationAgainstRawUpdate() throws Exception {
        List<Integer> sizes = settings.sizes().stream().sorted().toList();
        int rounds = settings.rounds();
        int batchSize = config.rotation().batchSize();
        String bystander = Api.encryptedLocalProject("bench", CLUSTER);

        measure(WARM_UP_KEYS, 1, batchSize, bystander); // JIT and buffer pool; not reported
        RotationReport report = new RotationReport(batchSize, rounds);
        for (int size : sizes) {
            measure(size, rounds, batchSize, bystander).addTo(report);
        }

        String table = report.format();
        System.out.println("\n" + table);
        Path file = Path.of("target", "bench", "rotation.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, table);
    }

    private Measured measure(int keys, int rounds, int batchSize, String bystander) throws Exception {
        SeededCluster cluster = SeededCluster.seed(dataSource, localRoot, wrapper, Api.encryptedLocalProject("bench", CLUSTER), CLUSTER,
                keys, batchSize);
        Latencies idle = idleLatencies(bystander);
        List<Long> rotation = new ArrayList<>();
        List<Long> raw = new ArrayList<>();
        List<Long> rawSameColumns = new ArrayList<>();
        List<Latencies> during = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            raw.add(cluster.rawUpdate(dataSource, batchSize));
            try (LatencyProbe probe = LatencyProbe.start(bystander, CLUSTER)) {
                rotation.add(rotate(cluster, round + 2));
                during.add(probe.stop());
            }
            // The version the rotation just left is still stored (destroyed, its row kept): a valid target.
            rawSameColumns.addAll(cluster.rawUpdateSameColumns(dataSource, batchSize, round + 2, round + 1));
        }
        assertStillUnwrap(cluster);
        Latencies whileRotating = Latencies.merge(during);
        assertThat(idle.errors() + whileRotating.errors()).as("failed calls from the other caller").isZero();
        return new Measured(keys, rotation, raw, rawSameColumns, idle, whileRotating);
    }

    /** RotateMasterKey, then GetRotationStatus every poll-ms (200 ms, as an operator would poll) until done; the wall time in nanoseconds. */
    private long rotate(SeededCluster cluster, int expectedVersion) throws InterruptedException {
        long pollMillis = settings.pollMs();
        long start = System.nanoTime();
        RotationStatus status = Api.clusters().rotateMasterKey(RotateMasterKeyRequest.newBuilder()
                .setProjectId(cluster.projectId).setClusterName(cluster.clusterName).build());
        while (status.getInProgress()) {
            assertThat(status.getLastError()).as("rotation error").isEmpty();
            assertThat(System.nanoTime() - start).as("rotation still running").isLessThan(GIVE_UP_AFTER.toNanos());
            Thread.sleep(pollMillis);
            status = Api.clusters().getRotationStatus(GetRotationStatusRequest.newBuilder()
                    .setProjectId(cluster.projectId).setClusterName(cluster.clusterName).build());
        }
        long took = System.nanoTime() - start;
        assertThat(status.getMasterKeyVersion()).isEqualTo(expectedVersion);
        assertThat(status.getTotalKeys()).isEqualTo(cluster.count);
        assertThat(status.getRewrappedKeys()).as("keys wrapped by version %d", expectedVersion).isEqualTo(cluster.count);
        return took;
    }

    private void assertStillUnwrap(SeededCluster cluster) {
        for (Map.Entry<String, String> sample : cluster.samples.entrySet()) {
            try (ReleasedDatabaseKey key = databaseKeys.getOrCreate(cluster.projectId, cluster.clusterName,
                    sample.getKey())) {
                assertThat(key.version()).isEqualTo(1);
                assertThat(HexFormat.of().formatHex(key.key().copyBytes())).as(sample.getKey()).isEqualTo(sample.getValue());
            }
        }
    }

    private static Latencies idleLatencies(String bystander) throws InterruptedException {
        LatencyProbe probe = LatencyProbe.start(bystander, CLUSTER);
        Thread.sleep(IDLE_SAMPLE.toMillis());
        return probe.stop();
    }


    private record Measured(int keys, List<Long> rotationNanos, List<Long> rawNanos, List<Long> rawSameColumnsNanos,
                            Latencies idle, Latencies during) {
        void addTo(RotationReport report) {
            report.add(keys, rotationNanos, rawNanos, rawSameColumnsNanos, idle, during);
        }
    }
}
