package dev.atrest.keyservice.fault;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.support.Client;
import dev.atrest.keyservice.support.ItDatabase;
import dev.atrest.keyservice.support.ServiceProcess;
import dev.atrest.keyservice.support.StoredHierarchy;
import dev.atrest.testsupport.Awaits;
import dev.atrest.testsupport.FaultTally;
import dev.atrest.v1.CreateAccessTokenRequest;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetClusterEncryptionRequest;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.Role;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The service's MariaDB stopped and started again under load (configuration writes and GetDatabaseKey),
 * the service left running. During the outage calls fail fast with UNAVAILABLE and a message naming the
 * database (never INTERNAL, never the caller's deadline); the service recovers by itself; every
 * acknowledged write is there afterwards and every released key comes back byte-identical.
 */
class MariaDbRestartIT {
    /** Outages per build; -Dfault.full=true runs FULL_TRIALS, -Dfault.trials=N any number. */
    private static final int CI_TRIALS = 2;
    private static final int FULL_TRIALS = 5;
    private static final int CLUSTERS = 3;
    private static final int KNOWN_DATABASES = 10;
    private static final Duration OUTAGE = Duration.ofSeconds(4);
    private static final Duration RECOVERY = Duration.ofSeconds(90);

    @Test
    void mariaDb_restartedUnderLoad_callsFailFastServiceRecoversNothingLost() throws Exception {
        FaultRun run = FaultRun.of("MariaDbRestartIT", CI_TRIALS, FULL_TRIALS);
        String project = "mdb-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> clusters = IntStream.range(0, CLUSTERS).mapToObj(i -> "c" + i).toList();
        try (FaultTally tally = run.tally();
             RestartableMariaDb mariaDb = RestartableMariaDb.start(run.dataDir.resolve("mariadb"));
             ServiceProcess service = new ServiceProcess("mariadb-restart", mariaDb.database(), run.dataDir,
                     run.sealKey, "2s").start()) {
            ItDatabase db = mariaDb.database();
            StoredHierarchy stored = new StoredHierarchy(db, run.dataDir);
            ReleasedKeys released = new ReleasedKeys(stored);
            service.projects().updateProjectEncryption(enableLocal(project, "root-" + project));
            for (String cluster : clusters) {
                service.clusters().setClusterEncryption(setCluster(project, cluster, EncryptionAtRestProvider.LOCAL));
            }
            Client consumer = service.as(service.admin().access().createAccessToken(CreateAccessTokenRequest
                    .newBuilder().setName(project + "-consumer").setRole(Role.KEY_CONSUMER).setAllProjects(true)
                    .build()).getSecret());
            for (String cluster : clusters) {
                for (int i = 0; i < KNOWN_DATABASES; i++) {
                    released.record(consumer.databaseKeys().getDatabaseKey(GetDatabaseKeyRequest.newBuilder()
                            .setProjectId(project).setClusterName(cluster).setDatabaseName("db" + i).build()));
                }
            }
            OutageLoad load = new OutageLoad(project, clusters, KNOWN_DATABASES, released);
            for (int trial = 0; trial < run.trials; trial++) {
                outage(run, tally, trial, mariaDb, service, consumer, load, stored, released, project);
            }
        }
    }

    private static void outage(FaultRun run, FaultTally tally, int trial, RestartableMariaDb mariaDb,
                               ServiceProcess service, Client consumer, OutageLoad load, StoredHierarchy stored,
                               ReleasedKeys released, String project) throws Exception {
        String name = run.describe(trial);
        load.start(service.admin(), consumer, run.random);
        Rows.sleep(1000 + run.delayUpTo(2000));
        load.clearFailures();
        int answeredBefore = load.answered();
        mariaDb.stop();
        tally.trial();
        tally.faults(1);
        Rows.sleep(OUTAGE.toMillis());
        int answeredDuringOutage = load.answered() - answeredBefore;
        mariaDb.start();
        // No service restart: the same process must take writes again on its own.
        Awaits.until(name + ": configuration writes succeed again after MariaDB is back", RECOVERY,
                () -> load.writes(service.admin()));
        List<OutageLoad.Failure> failures = load.failures();
        Rows.sleep(1000);
        load.stop();

        List<OutageLoad.Failure> notFast = failures.stream()
                .filter(f -> f.code() != Status.Code.UNAVAILABLE || !String.valueOf(f.message()).contains("database"))
                .toList();
        long slowest = failures.stream().mapToLong(OutageLoad.Failure::millis).max().orElse(0);
        Map<String, Integer> acknowledged = load.acknowledgedPeriods();
        List<String> lostWrites = acknowledged.entrySet().stream()
                .filter(e -> storedPeriod(service, project, e.getKey()) < e.getValue())
                .map(e -> e.getKey() + ": rotation period " + e.getValue() + " days was acknowledged").toList();
        List<String> lostKeys = released.lost(project, consumer);
        tally.writesLost(lostWrites.size());
        tally.keysLost(lostKeys.size());
        System.out.printf("MariaDbRestartIT %s: %d calls failed during the outage (slowest %d ms), %d answered"
                + " meanwhile (cached keys)%n", name, failures.size(), slowest, answeredDuringOutage);
        FaultRun.verify(tally, name, () -> {
            assertThat(failures).as("%s: calls fail while MariaDB is down", name).isNotEmpty();
            assertThat(notFast).as("%s: calls failing other than with UNAVAILABLE naming the database", name)
                    .isEmpty();
            assertThat(lostWrites).as(name).isEmpty();
            assertThat(lostKeys).as(name).isEmpty();
            assertThat(released.secondKeys()).as(name).isEmpty();
            stored.assertSound(project, name + ", after the restart of MariaDB");
        });
    }

    private static int storedPeriod(ServiceProcess service, String project, String cluster) {
        return service.clusters().getClusterEncryption(GetClusterEncryptionRequest.newBuilder().setProjectId(project)
                .setClusterName(cluster).build()).getRotationPeriodDays();
    }
}
