package dev.atrest.keyservice.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.Client;
import dev.atrest.keyservice.support.ServiceProcess;
import dev.atrest.keyservice.support.StoredHierarchy;
import dev.atrest.testsupport.FaultTally;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The packaged service killed with SIGKILL at random instants while clients update projects and
 * clusters (CMK-independent changes, enable, disable) and ask for database keys: after the restart
 * every acknowledged write is there, the one unanswered call per client is applied wholly or not at
 * all (no cluster encrypted without its master key or in a disabled project), and every key released
 * before the kill comes back byte-identical.
 */
class UpdateCrashIT {
    /** Kills per build; -Dfault.full=true runs FULL_TRIALS, -Dfault.trials=N any number. */
    private static final int CI_TRIALS = 8;
    private static final int FULL_TRIALS = 50;
    private static final int PROJECTS = 3;
    private static final int CLUSTERS = 3;
    /** The kill falls this long, at most, after the clients start; each sends many calls in it. */
    private static final long WINDOW_MILLIS = 3000;

    @Test
    void updates_killedAtRandomInstants_acknowledgedWritesKeptAndInterruptedOnesWhole() throws Exception {
        CrashSetup setup = CrashSetup.of("UpdateCrashIT", CI_TRIALS, FULL_TRIALS);
        FaultRun run = setup.run;
        ReleasedKeys released = new ReleasedKeys(setup.stored);
        String prefix = Api.uniqueId("upd");
        List<String> clusters = IntStream.range(0, CLUSTERS).mapToObj(i -> "c" + i).toList();
        List<ConfigWriter> writers = IntStream.range(0, PROJECTS)
                .mapToObj(i -> new ConfigWriter(prefix + "-p" + i, clusters, run.random.nextLong(), released)).toList();
        try (FaultTally tally = run.tally();
             ServiceProcess service = setup.service("update-crash").start()) {
            String consumerToken = CrashSetup.consumerToken(service, prefix + "-consumer");
            writers.forEach(writer -> writer.enableAll(service.admin()));
            for (int trial = 0; trial < run.trials; trial++) {
                trial(run, tally, trial, service, consumerToken, writers, setup.stored, setup.rows, released);
            }
            int writes = writers.stream().mapToInt(ConfigWriter::acknowledgedWrites).sum();
            System.out.printf("UpdateCrashIT summary: %d trials (seed %d), %d acknowledged writes, %d keys released%n",
                    run.trials, run.seed, writes, released.count());
        }
    }

    private static void trial(FaultRun run, FaultTally tally, int trial, ServiceProcess service, String consumerToken,
                              List<ConfigWriter> writers, StoredHierarchy stored, Rows rows, ReleasedKeys released)
            throws Exception {
        String name = run.describe(trial);
        long delay = run.delayUpTo(WINDOW_MILLIS);
        Client consumer = service.as(consumerToken);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (ConfigWriter writer : writers) {
            Thread client = new Thread(() -> writer.writeUntilKilled(service.admin(), consumer, stop::get),
                    "update-client-" + writer.project);
            client.start();
            clients.add(client);
        }
        CrashSetup.killAfter(delay, service, tally);
        stop.set(true);
        for (Thread client : clients) {
            client.join();
        }
        String how = name + ": killed after " + delay + " ms";
        long lostWhileDead = keysLost(stored, writers);
        FaultRun.verify(tally, how, () -> checkStored(stored, rows, writers, how + ", service dead"));

        service.start();
        List<String> problems = new ArrayList<>();
        writers.forEach(writer -> problems.addAll(writer.check(service.admin())));
        tally.writesLost(problems.stream().filter(p -> p.startsWith("write lost")).count());
        // Every cluster encrypted again, so that every key released so far can be asked for again.
        writers.forEach(writer -> writer.enableAll(service.admin()));
        List<String> lost = new ArrayList<>();
        writers.forEach(writer -> lost.addAll(released.lost(writer.project, service.as(consumerToken))));
        tally.keysLost(Math.max(lostWhileDead, lost.size()));
        FaultRun.verify(tally, how, () -> {
            assertThat(problems).as("%s: acknowledged writes and the unanswered calls", how).isEmpty();
            assertThat(lost).as("%s: keys released before the kill", how).isEmpty();
            assertThat(released.secondKeys()).as(how).isEmpty();
            checkStored(stored, rows, writers, how + ", after restart");
        });
    }

    private static void checkStored(StoredHierarchy stored, Rows rows, List<ConfigWriter> writers, String when)
            throws Exception {
        for (ConfigWriter writer : writers) {
            assertThat(rows.clustersEncryptedInDisabledProject(writer.project)).as(when).isEmpty();
            assertThat(rows.databasesWithSeveralKeys(writer.project)).as(when).isEmpty();
            stored.assertSound(writer.project, when);
        }
    }

    private static long keysLost(StoredHierarchy stored, List<ConfigWriter> writers) throws Exception {
        long lost = 0;
        for (ConfigWriter writer : writers) {
            lost += stored.keysLost(writer.project);
        }
        return lost;
    }
}
