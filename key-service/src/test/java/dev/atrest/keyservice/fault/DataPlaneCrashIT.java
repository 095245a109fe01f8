package dev.atrest.keyservice.fault;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.Client;
import dev.atrest.keyservice.support.ServiceProcess;
import dev.atrest.keyservice.support.StoredHierarchy;
import dev.atrest.testsupport.Awaits;
import dev.atrest.testsupport.FaultTally;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.VerifyAuditLogRequest;
import dev.atrest.v1.VerifyAuditLogResponse;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The packaged service killed with SIGKILL under data-plane load: many parallel GetDatabaseKey calls,
 * a good part of them the racing first calls for new databases. After the restart every key released
 * before the kill comes back byte-identical, no database has two keys, and the audit chain verifies.
 * Release records still queued for the audit writer at the kill are lost by design (the log is written
 * behind the releases); what was written must still form an unbroken chain.
 */
class DataPlaneCrashIT {
    /** Kills per build; -Dfault.full=true runs FULL_TRIALS, -Dfault.trials=N any number. */
    private static final int CI_TRIALS = 8;
    private static final int FULL_TRIALS = 50;
    private static final int CLUSTERS = 4;
    private static final int CLIENTS = 8;
    /** Databases that appear in each trial, their keys made on first use while the clients race for them. */
    private static final int NEW_DATABASES_PER_TRIAL = 40;
    private static final long WINDOW_MILLIS = 2000;
    private static final int CALLS_BEFORE_WINDOW = 40;

    @Test
    void dataPlane_killedUnderLoad_releasedKeysKeptOneKeyPerDatabaseAuditChainIntact() throws Exception {
        CrashSetup setup = CrashSetup.of("DataPlaneCrashIT", CI_TRIALS, FULL_TRIALS);
        FaultRun run = setup.run;
        ReleasedKeys released = new ReleasedKeys(setup.stored);
        String project = Api.uniqueId("dp");
        List<String> clusters = IntStream.range(0, CLUSTERS).mapToObj(i -> "c" + i).toList();
        AtomicLong calls = new AtomicLong();
        try (FaultTally tally = run.tally();
             ServiceProcess service = setup.service("data-plane-crash").start()) {
            service.projects().updateProjectEncryption(enableLocal(project, "root-" + project));
            for (String cluster : clusters) {
                service.clusters().setClusterEncryption(setCluster(project, cluster, EncryptionAtRestProvider.LOCAL));
            }
            String consumerToken = CrashSetup.consumerToken(service, project + "-consumer");
            for (int trial = 0; trial < run.trials; trial++) {
                Load load = new Load(project, clusters, (trial + 1) * NEW_DATABASES_PER_TRIAL, released, calls);
                long delay = run.delayUpTo(WINDOW_MILLIS);
                String how = run.describe(trial) + ": killed after " + delay + " ms";
                long answeredBefore = calls.get();
                load.start(service.as(consumerToken), run.random);
                // The kill falls in full flow, not while a just-started service answers its first calls.
                Awaits.until(how + ": the load gets going", Duration.ofSeconds(90), () ->
                        calls.get() >= answeredBefore + CALLS_BEFORE_WINDOW || !load.refusedBeforeKill.isEmpty());
                Rows.sleep(delay);
                load.killing();
                service.killHard();
                load.awaitEnd();
                System.out.printf("%s: %d GetDatabaseKey calls answered so far%n", how, calls.get());
                tally.trial();
                tally.faults(1);
                long lostWhileDead = setup.stored.keysLost(project);
                FaultRun.verify(tally, how,
                        () -> checkStored(setup.stored, setup.rows, released, load, project, how + ", service dead"));

                service.start();
                List<String> lost = released.lost(project, service.as(consumerToken));
                tally.keysLost(Math.max(lostWhileDead, lost.size()));
                VerifyAuditLogResponse audit =
                        service.admin().audit().verifyAuditLog(VerifyAuditLogRequest.getDefaultInstance());
                FaultRun.verify(tally, how, () -> {
                    assertThat(lost).as("%s: keys released before the kill", how).isEmpty();
                    assertThat(audit.getIntact()).as("%s: audit chain: %s", how, audit.getProblem()).isTrue();
                    checkStored(setup.stored, setup.rows, released, load, project, how + ", after restart");
                });
            }
            System.out.printf("DataPlaneCrashIT summary: %d trials (seed %d), %d GetDatabaseKey calls answered,"
                    + " %d keys released%n", run.trials, run.seed, calls.get(), released.count());
        }
    }

    private static void checkStored(StoredHierarchy stored, Rows rows, ReleasedKeys released, Load load,
                                    String project, String when) throws Exception {
        assertThat(load.refusedBeforeKill).as("%s: calls refused while the service ran", when).isEmpty();
        assertThat(released.secondKeys()).as(when).isEmpty();
        assertThat(rows.databasesWithSeveralKeys(project)).as(when).isEmpty();
        stored.assertSound(project, when);
    }

    /** CLIENTS threads asking for random databases' keys until the service stops answering. */
    private static final class Load {
        private final String project;
        private final List<String> clusters;
        private final int databases;
        private final ReleasedKeys released;
        private final AtomicLong calls;
        private final AtomicBoolean dead = new AtomicBoolean();
        private final AtomicBoolean killing = new AtomicBoolean();
        /** Any call that fails before the kill is a failure: an encrypted cluster always has a key to give. */
        final List<String> refusedBeforeKill = new CopyOnWriteArrayList<>();
        private final List<Thread> threads = new ArrayList<>();

        Load(String project, List<String> clusters, int databases, ReleasedKeys released, AtomicLong calls) {
            this.project = project;
            this.clusters = clusters;
            this.databases = databases;
            this.released = released;
            this.calls = calls;
        }

        void start(Client consumer, Random seeds) {
            for (int i = 0; i < CLIENTS; i++) {
                Random random = new Random(seeds.nextLong());
                Thread thread = new Thread(() -> requestUntilDead(consumer, random), "data-plane-client-" + i);
                thread.start();
                threads.add(thread);
            }
        }

        private void requestUntilDead(Client consumer, Random random) {
            while (!dead.get()) {
                // Half the calls go to this trial's new databases, so first uses race each other.
                int database = random.nextBoolean() ? databases - 1 - random.nextInt(NEW_DATABASES_PER_TRIAL)
                        : random.nextInt(databases);
                try {
                    released.record(consumer.databaseKeys().getDatabaseKey(GetDatabaseKeyRequest.newBuilder()
                            .setProjectId(project).setClusterName(clusters.get(random.nextInt(clusters.size())))
                            .setDatabaseName("db" + database).build()));
                    calls.incrementAndGet();
                } catch (StatusRuntimeException e) {
                    if (!killing.get()) {
                        refusedBeforeKill.add(e.getStatus().toString());
                    }
                    dead.set(true);
                }
            }
        }

        /** From now on calls may fail: the service is being killed. */
        void killing() {
            killing.set(true);
        }

        void awaitEnd() throws InterruptedException {
            dead.set(true);
            for (Thread thread : threads) {
                thread.join();
            }
        }
    }
}
