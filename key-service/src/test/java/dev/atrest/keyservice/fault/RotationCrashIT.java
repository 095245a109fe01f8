package dev.atrest.keyservice.fault;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.ServiceProcess;
import dev.atrest.keyservice.support.StoredHierarchy;
import dev.atrest.testsupport.Awaits;
import dev.atrest.testsupport.FaultTally;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetRotationStatusRequest;
import dev.atrest.v1.RotateMasterKeyRequest;
import dev.atrest.v1.RotationStatus;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The packaged service killed with SIGKILL at random instants of master-key rotations, on demand
 * (RotateMasterKey) and when due (the periodic check): right after each kill every database key still
 * unwraps and the hierarchy is sound; after a restart the rotation finishes, exactly once.
 */
class RotationCrashIT {
    /** Kills per build; -Dfault.full=true runs FULL_TRIALS, -Dfault.trials=N any number. */
    private static final int CI_TRIALS = 12;
    private static final int FULL_TRIALS = 50;
    private static final int CLUSTERS = 4;
    /** With batches of 200, a rotation of this many keys is some twenty transactions. */
    private static final int KEYS_PER_CLUSTER = 3000;
    private static final Duration SETTLE = Duration.ofSeconds(90);

    enum Phase { BEFORE_CREATE, REWRAP, FINISHED }

    @Test
    void rotation_killedAtRandomInstants_everyKeyUnwrapsAndRotationFinishesOnce() throws Exception {
        CrashSetup setup = CrashSetup.of("RotationCrashIT", CI_TRIALS, FULL_TRIALS);
        FaultRun run = setup.run;
        String project = Api.uniqueId("rot");
        List<String> clusters = IntStream.range(0, CLUSTERS).mapToObj(i -> "c" + i).toList();
        long started = System.nanoTime();
        Map<Phase, Integer> kills = new EnumMap<>(Phase.class);
        int retried = 0;
        try (FaultTally tally = run.tally();
             ServiceProcess service = setup.service("rotation-crash").start()) {
            service.projects().updateProjectEncryption(enableLocal(project, "root-" + project));
            for (String cluster : clusters) {
                service.clusters().setClusterEncryption(setCluster(project, cluster, EncryptionAtRestProvider.LOCAL));
                setup.stored.seed(project, cluster, KEYS_PER_CLUSTER);
            }
            setup.stored.assertSound(project, "as seeded");
            // The first runs are slow (cold JIT); the fastest of three is what later trials see.
            long rotationMillis = clusters.subList(0, 3).stream()
                    .mapToLong(cluster -> measure(service, setup.rows, project, cluster)).min().orElseThrow();
            System.out.printf("RotationCrashIT: a rotation of %d keys takes %d ms; kills fall in [0, %d] ms%n",
                    KEYS_PER_CLUSTER, rotationMillis, rotationMillis * 6 / 5);

            for (int trial = 0; trial < run.trials; trial++) {
                String cluster = clusters.get(trial % CLUSTERS);
                Trial result = trial(run, tally, trial, service, setup.stored, setup.rows, project, cluster,
                        rotationMillis * 6 / 5);
                kills.merge(result.phase, 1, Integer::sum);
                retried += result.retried ? 1 : 0;
            }
        }
        System.out.printf("RotationCrashIT summary: %d trials (seed %d), kills before the create step %d, during the"
                        + " re-wrap %d, after the finish %d; %d unacknowledged rotations sent again; %d s%n",
                run.trials, run.seed, kills.getOrDefault(Phase.BEFORE_CREATE, 0), kills.getOrDefault(Phase.REWRAP, 0),
                kills.getOrDefault(Phase.FINISHED, 0), retried, Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    private record Trial(Phase phase, boolean retried) {}

    private static Trial trial(FaultRun run, FaultTally tally, int trial, ServiceProcess service, StoredHierarchy stored,
                               Rows rows, String project, String cluster, long maxDelay) throws Exception {
        String name = run.describe(trial) + " " + cluster;
        boolean scheduled = run.random.nextBoolean();
        long delay = run.delayUpTo(maxDelay);
        int before = rows.version(project, cluster);
        ListenableFuture<RotationStatus> call = null;
        if (scheduled) {
            rows.backdate(project, cluster);
            Awaits.until(name + ": the periodic check starts the due rotation", SETTLE,
                    () -> rows.version(project, cluster) > before);
        } else {
            call = service.clustersAsync().rotateMasterKey(rotate(project, cluster));
        }
        CrashSetup.killAfter(delay, service, tally);
        boolean acknowledged = call != null && succeeded(call);
        Phase phase = rows.version(project, cluster) == before ? Phase.BEFORE_CREATE
                : rows.rotating(project, cluster) ? Phase.REWRAP : Phase.FINISHED;
        String how = (scheduled ? "due" : "RotateMasterKey") + " killed after " + delay + " ms, " + phase;
        long lostWhileDead = stored.keysLost(project);
        FaultRun.verify(tally, name, () -> stored.assertSound(project, name + ": " + how + ", service dead"));

        service.start();
        awaitFinished(service, project, cluster, name);
        boolean retried = !scheduled && rows.version(project, cluster) == before;
        if (retried && acknowledged) {
            tally.writesLost(1);
        }
        tally.keysLost(Math.max(lostWhileDead, stored.keysLost(project)));
        FaultRun.verify(tally, name, () -> {
            assertThat(retried && acknowledged).as("%s: an acknowledged rotation was lost", name).isFalse();
            if (retried) {
                service.clusters().rotateMasterKey(rotate(project, cluster)); // the caller never got an answer: it retries
                awaitFinished(service, project, cluster, name);
            }
            assertThat(rows.masterKeyVersions(project, cluster)).as("%s: %s", name, how)
                    .isEqualTo(IntStream.rangeClosed(1, before + 1).boxed().toList());
            assertThat(rows.version(project, cluster)).as(name).isEqualTo(before + 1);
            stored.assertSound(project, name + ": " + how + ", after restart");
        });
        return new Trial(phase, retried);
    }

    /** Milliseconds from RotateMasterKey until the re-wrap is finished, seen from the database. */
    private static long measure(ServiceProcess service, Rows rows, String project, String cluster) {
        int before = rows.version(project, cluster);
        long start = System.nanoTime();
        service.clusters().rotateMasterKey(rotate(project, cluster));
        Awaits.until("rotation of " + cluster + " finishes", SETTLE,
                () -> rows.version(project, cluster) > before && !rows.rotating(project, cluster));
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    private static void awaitFinished(ServiceProcess service, String project, String cluster, String name) {
        GetRotationStatusRequest request = GetRotationStatusRequest.newBuilder().setProjectId(project)
                .setClusterName(cluster).build();
        Awaits.until(name + ": the rotation finishes after the restart", SETTLE, () -> {
            RotationStatus status = service.clusters().getRotationStatus(request);
            return !status.getInProgress() && status.getRewrappedKeys() == status.getTotalKeys();
        });
    }

    private static boolean succeeded(ListenableFuture<RotationStatus> call) {
        try {
            return call.isDone() && call.get() != null;
        } catch (ExecutionException | InterruptedException e) {
            return false;
        }
    }

    private static RotateMasterKeyRequest rotate(String project, String cluster) {
        return RotateMasterKeyRequest.newBuilder().setProjectId(project).setClusterName(cluster).build();
    }
}
