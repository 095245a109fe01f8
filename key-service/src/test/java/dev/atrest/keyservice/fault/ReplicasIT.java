package dev.atrest.keyservice.fault;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.support.ItDatabase;
import dev.atrest.keyservice.support.ServiceProcess;
import dev.atrest.keyservice.support.StoredHierarchy;
import dev.atrest.testsupport.Awaits;
import dev.atrest.testsupport.FaultTally;
import dev.atrest.v1.ClusterEncryption;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetClusterEncryptionRequest;
import dev.atrest.v1.RotateMasterKeyRequest;
import dev.atrest.v1.RotationStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two packaged services on one MariaDB, as replicas behind a load balancer: each rotation happens once
 * however many replicas check (every second here), concurrent RotateMasterKey calls make one new
 * version, and rotation keeps happening across restarts.
 */
class ReplicasIT {
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final int KEYS_PER_CLUSTER = 300;
    private static final int INCREMENTS_PER_WRITER = Boolean.getBoolean("fault.full") ? 100 : 25;

    private static FaultRun run;
    private static ItDatabase db;
    private static StoredHierarchy stored;
    private static Rows rows;
    private static ServiceProcess a;
    private static ServiceProcess b;

    @BeforeAll
    static void startReplicas() {
        run = FaultRun.of("ReplicasIT", 0);
        db = ItDatabase.shared();
        stored = new StoredHierarchy(db, run.dataDir);
        rows = new Rows(db);
        a = new ServiceProcess("replica-a", db, run.dataDir, run.sealKey, "1s").start();
        b = new ServiceProcess("replica-b", db, run.dataDir, run.sealKey, "1s").start();
    }

    @AfterAll
    static void stopReplicas() {
        if (a != null) {
            a.stop();
        }
        if (b != null) {
            b.stop();
        }
    }

    @Test
    void rotationCheck_tenClustersDueOnTwoReplicas_eachRotatedExactlyOnce() throws Exception {
        String project = project();
        List<String> clusters = clusters(project, 10);

        clusters.forEach(cluster -> rows.backdate(project, cluster));
        awaitVersion(project, clusters, 2);
        Rows.sleep(3000); // a few more checks on both replicas: nothing more may happen

        for (String cluster : clusters) {
            assertThat(rows.masterKeyVersions(project, cluster)).as(cluster).containsExactly(1, 2);
        }
        stored.assertSound(project, "after the due rotations");
        System.out.printf("ReplicasIT: of %d due rotations, replica A created %d and replica B %d%n", clusters.size(),
                created(a, project), created(b, project));
    }

    @Test
    void rotateMasterKey_sameClusterOnBothReplicasAtOnce_oneNewVersion() throws Exception {
        String project = project();
        // Enough keys that the re-wrap outlasts any lag between the two calls: they overlap for sure.
        List<String> clusters = clusters(project, 5, 3000);
        for (int round = 0; round < 3; round++) {
            for (String cluster : clusters) {
                CyclicBarrier together = new CyclicBarrier(2);
                RotateMasterKeyRequest request = RotateMasterKeyRequest.newBuilder().setProjectId(project)
                        .setClusterName(cluster).build();
                CompletableFuture<RotationStatus> onA = CompletableFuture.supplyAsync(() -> {
                    await(together);
                    return a.clusters().rotateMasterKey(request);
                });
                CompletableFuture<RotationStatus> onB = CompletableFuture.supplyAsync(() -> {
                    await(together);
                    return b.clusters().rotateMasterKey(request);
                });
                assertThat(List.of(onA.join().getMasterKeyVersion(), onB.join().getMasterKeyVersion()))
                        .as("%s round %d: the version each replica answered", cluster, round)
                        .containsOnly(round + 2);
            }
            awaitVersion(project, clusters, round + 2);
            for (String cluster : clusters) {
                assertThat(rows.masterKeyVersions(project, cluster)).as("%s round %d", cluster, round)
                        .isEqualTo(IntStream.rangeClosed(1, round + 2).boxed().toList());
            }
        }
        stored.assertSound(project, "after concurrent RotateMasterKey calls");
    }

    @Test
    void rotateMasterKey_whileBothReplicasCheck_everyCallMakesANewVersion() throws Exception {
        String project = project();
        String cluster = clusters(project, 1).get(0);
        for (int call = 0; call < 30; call++) {
            int before = rows.version(project, cluster);
            ServiceProcess replica = call % 2 == 0 ? a : b;

            RotationStatus answer = replica.clusters().rotateMasterKey(RotateMasterKeyRequest.newBuilder()
                    .setProjectId(project).setClusterName(cluster).build());

            assertThat(answer.getMasterKeyVersion()).as("call %d: %s", call, answer).isEqualTo(before + 1);
            awaitVersion(project, List.of(cluster), before + 1);
        }
        stored.assertSound(project, "after 30 RotateMasterKey calls");
    }

    /**
     * Read-modify-write increments of one cluster's rotation period, each conditional on the etag it read,
     * from two writers on each replica at once: every acknowledged increment must be in the stored value.
     */
    @Test
    void etagGuardedUpdates_fromBothReplicasAtOnce_noAcknowledgedUpdateLost() throws Exception {
        try (FaultTally tally = FaultTally.begin("ReplicasIT-updates", "-")) {
            String project = project();
            String cluster = clusters(project, 1, 10).get(0);
            GetClusterEncryptionRequest read = GetClusterEncryptionRequest.newBuilder().setProjectId(project)
                    .setClusterName(cluster).build();
            int before = a.clusters().getClusterEncryption(read).getRotationPeriodDays();
            AtomicLong acknowledged = new AtomicLong();
            List<CompletableFuture<Void>> writers = Stream.of(a, b, a, b).map(replica -> CompletableFuture.runAsync(() -> {
                for (int done = 0; done < INCREMENTS_PER_WRITER; ) {
                    ClusterEncryption current = replica.clusters().getClusterEncryption(read);
                    try {
                        replica.clusters().setClusterEncryption(setCluster(project, cluster,
                                EncryptionAtRestProvider.LOCAL).toBuilder().setEtag(current.getEtag())
                                .setRotationPeriodDays(current.getRotationPeriodDays() + 1).build());
                        acknowledged.incrementAndGet();
                        tally.trial();
                        done++;
                    } catch (StatusRuntimeException e) {
                        if (e.getStatus().getCode() != Status.Code.ABORTED) {
                            throw e;
                        }
                        tally.faults(1); // a concurrent writer won: read again
                    }
                }
            })).toList();
            writers.forEach(CompletableFuture::join);

            int stored = b.clusters().getClusterEncryption(read).getRotationPeriodDays();
            tally.writesLost(Math.abs(before + acknowledged.get() - stored));
            tally.verify("etag-guarded increments", () -> assertThat(stored)
                    .as("the period: %d + every acknowledged increment", before).isEqualTo(before + acknowledged.get()));
        }
    }

    @Test
    void rotationCheck_afterRestarts_keepsRotatingDueClusters() throws Exception {
        String project = project();
        List<String> clusters = clusters(project, 3);
        for (int cycle = 1; cycle <= 3; cycle++) {
            int version = cycle + 1;
            clusters.forEach(cluster -> rows.backdate(project, cluster));
            awaitVersion(project, clusters, version);
            stored.assertSound(project, "after due rotation " + cycle);
            // Both replicas go away and come back, the hard way and the gentle way in turn.
            if (cycle % 2 == 1) {
                a.killHard();
                b.stop();
            } else {
                a.stop();
                b.killHard();
            }
            a.start();
            b.start();
            for (String cluster : clusters) {
                assertThat(rows.masterKeyVersions(project, cluster)).as("%s cycle %d", cluster, cycle)
                        .isEqualTo(IntStream.rangeClosed(1, version).boxed().toList());
            }
        }
        clusters.forEach(cluster -> rows.backdate(project, cluster));
        awaitVersion(project, clusters, 5);
        stored.assertSound(project, "after the due rotation that followed the last restart");
    }

    private static String project() {
        String project = "rep-" + UUID.randomUUID().toString().substring(0, 8);
        a.projects().updateProjectEncryption(enableLocal(project, "root-" + project));
        return project;
    }

    private static List<String> clusters(String project, int count) throws Exception {
        return clusters(project, count, KEYS_PER_CLUSTER);
    }

    private static List<String> clusters(String project, int count, int keys) throws Exception {
        List<String> clusters = IntStream.range(0, count).mapToObj(i -> "c" + i).toList();
        for (String cluster : clusters) {
            b.clusters().setClusterEncryption(setCluster(project, cluster, EncryptionAtRestProvider.LOCAL));
            stored.seed(project, cluster, keys);
        }
        return clusters;
    }

    /** Waits until every cluster has reached {@code version} with its re-wrap finished. */
    private static void awaitVersion(String project, List<String> clusters, int version) {
        for (String cluster : clusters) {
            Awaits.until(cluster + " rotated to version " + version, SETTLE,
                    () -> rows.version(project, cluster) >= version && !rows.rotating(project, cluster));
        }
    }

    /** How many master-key versions of the project the replica's logs say it created (all its runs). */
    private static long created(ServiceProcess replica, String project) throws Exception {
        String prefix = replica.log().getFileName().toString().replaceAll("-\\d+\\.log$", "-");
        try (var logs = Files.list(replica.log().getParent())) {
            return logs.filter(p -> p.getFileName().toString().startsWith(prefix)).mapToLong(p -> {
                try (var lines = Files.lines(p)) {
                    return lines.filter(l -> l.contains("cluster " + project + "/") && l.contains(" is active;")).count();
                } catch (Exception e) {
                    return 0;
                }
            }).sum();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
