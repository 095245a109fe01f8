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
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.RotateMasterKeyRequest;
import dev.atrest.v1.UpdateProjectEncryptionRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged service killed with SIGKILL at random instants of a CMK change (a LOCAL project moved to
 * a new root key): right after each kill every master key reads under the root key its row names and
 * every database key unwraps; after a restart the change is finished, by the periodic check or by
 * the caller sending the same update again.
 */
class CmkChangeCrashIT {
    /** Kills per build; -Dfault.full=true runs FULL_TRIALS, -Dfault.trials=N any number. */
    private static final int CI_TRIALS = 12;
    private static final int FULL_TRIALS = 50;
    private static final int CLUSTERS = 20;
    private static final int KEYS_PER_CLUSTER = 20;
    private static final Duration SETTLE = Duration.ofSeconds(90);

    enum Phase { NOT_STARTED, MOVING, FINISHED }

    @Test
    void cmkChange_killedAtRandomInstants_everyKeyReadableAndChangeCompletes() throws Exception {
        CrashSetup setup = CrashSetup.of("CmkChangeCrashIT", CI_TRIALS, FULL_TRIALS);
        FaultRun run = setup.run;
        String project = Api.uniqueId("cmk");
        long started = System.nanoTime();
        Map<Phase, Integer> kills = new EnumMap<>(Phase.class);
        int resent = 0;
        try (FaultTally tally = run.tally();
             ServiceProcess service = setup.service("cmk-crash").start()) {
            service.projects().updateProjectEncryption(enableLocal(project, "k0"));
            int masterKeys = 0;
            for (int i = 0; i < CLUSTERS; i++) {
                String cluster = "c" + i;
                service.clusters().setClusterEncryption(setCluster(project, cluster, EncryptionAtRestProvider.LOCAL));
                setup.stored.seed(project, cluster, KEYS_PER_CLUSTER);
                masterKeys += 1 + rotate(service, setup.rows, project, cluster, i % 3); // 1 to 3 versions each
            }
            setup.stored.assertSound(project, "as seeded");
            long changeMillis = timed(() -> service.projects().updateProjectEncryption(enableLocal(project, "k1")));
            long maxDelay = changeMillis * 6 / 5;
            System.out.printf("CmkChangeCrashIT: a CMK change of %d master keys takes %d ms; kills fall in [0, %d] ms%n",
                    masterKeys, changeMillis, maxDelay);

            for (int trial = 0; trial < run.trials; trial++) {
                Trial result = trial(run, tally, trial, service, setup.stored, setup.rows, project, "k" + (trial + 2),
                        maxDelay);
                kills.merge(result.phase, 1, Integer::sum);
                resent += result.resent ? 1 : 0;
            }
        }
        System.out.printf("CmkChangeCrashIT summary: %d trials (seed %d), kills before the change was setup.stored %d,"
                        + " while master keys moved %d, after it finished %d; finished by the same update sent again"
                        + " %d, by the periodic check %d; %d s%n",
                run.trials, run.seed, kills.getOrDefault(Phase.NOT_STARTED, 0), kills.getOrDefault(Phase.MOVING, 0),
                kills.getOrDefault(Phase.FINISHED, 0), resent, run.trials - resent,
                Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    private record Trial(Phase phase, boolean resent) {}

    private static Trial trial(FaultRun run, FaultTally tally, int trial, ServiceProcess service, StoredHierarchy stored,
                               Rows rows, String project, String newKey, long maxDelay) throws Exception {
        String name = run.describe(trial) + " to " + newKey;
        boolean resend = run.random.nextBoolean();
        long delay = run.delayUpTo(maxDelay);
        String oldKey = rows.localKeyId(project);
        Instant lastChanged = rows.cmkLastChanged(project);
        UpdateProjectEncryptionRequest update = enableLocal(project, newKey);

        ListenableFuture<ProjectEncryption> call = service.projectsAsync().updateProjectEncryption(update);
        CrashSetup.killAfter(delay, service, tally);
        Phase phase = oldKey.equals(rows.localKeyId(project)) ? Phase.NOT_STARTED
                : rows.cmkChangeOpen(project) ? Phase.MOVING : Phase.FINISHED;
        String how = "killed after " + delay + " ms, " + phase;
        boolean lostAcknowledged = phase == Phase.NOT_STARTED && call.isDone() && !call.isCancelled() && succeeded(call);
        tally.writesLost(lostAcknowledged ? 1 : 0);
        long lostWhileDead = stored.keysLost(project);
        FaultRun.verify(tally, name, () -> {
            assertThat(lostAcknowledged).as("%s: an acknowledged change was lost", name).isFalse();
            stored.assertSound(project, name + ": " + how + ", service dead");
        });

        service.start();
        // An update the service never stored must be sent again whichever way the rest is left to finish.
        if (resend || phase == Phase.NOT_STARTED) {
            service.projects().updateProjectEncryption(update);
        }
        tally.keysLost(Math.max(lostWhileDead, stored.keysLost(project)));
        FaultRun.verify(tally, name, () -> {
            Awaits.until(name + ": the CMK change finishes after the restart", SETTLE, () -> !rows.cmkChangeOpen(project));
            assertThat(rows.localKeyId(project)).as(name).isEqualTo(newKey);
            assertThat(rows.masterKeysNotUnder(project, "local:" + newKey)).as("%s: %s", name, how).isEmpty();
            assertThat(rows.cmkLastChanged(project)).as("%s: cmk_last_changed_time", name).isAfter(lastChanged);
            stored.assertSound(project, name + ": " + how + ", after restart");
        });
        return new Trial(phase, resend || phase == Phase.NOT_STARTED);
    }

    /** Rotates the cluster {@code times} times, each to the end; returns {@code times}. */
    private static int rotate(ServiceProcess service, Rows rows, String project, String cluster, int times) {
        for (int i = 0; i < times; i++) {
            int before = rows.version(project, cluster);
            service.clusters().rotateMasterKey(RotateMasterKeyRequest.newBuilder().setProjectId(project)
                    .setClusterName(cluster).build());
            Awaits.until(cluster + " rotated", SETTLE,
                    () -> rows.version(project, cluster) > before && !rows.rotating(project, cluster));
        }
        return times;
    }

    private static long timed(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    private static boolean succeeded(ListenableFuture<ProjectEncryption> call) {
        try {
            return call.get() != null;
        } catch (Exception e) {
            return false;
        }
    }
}
