package dev.atrest.keyservice.fault;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import dev.atrest.keyservice.grpc.ErrorMapper;
import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.ItDatabase;
import dev.atrest.keyservice.support.ServiceProcess;
import dev.atrest.keyservice.support.StoredHierarchy;
import dev.atrest.testsupport.Awaits;
import dev.atrest.testsupport.FaultTally;
import dev.atrest.testsupport.GaleraCluster;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.RotateMasterKeyRequest;
import dev.atrest.v1.RotationStatus;
import dev.atrest.v1.VerifyAuditLogRequest;
import dev.atrest.v1.VerifyAuditLogResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two packaged replicas on a real 3-node Galera cluster (scripts/galera.sh, one per test JVM) through the
 * documented {@code jdbc:mariadb:sequential://n1,n2,n3/atrest?galeraAllowedState=4} URL: both write through the
 * first Synced node and move together when it dies. The writer is killed with SIGKILL during a master-key
 * rotation, during a CMK change and under GetDatabaseKey load with first-use creation, and all three nodes are
 * restarted one at a time under load. After each: no key lost (every released or seeded key reads back with its
 * bytes from both replicas), no acknowledged write lost, each rotation once (versions gapless, rotation.started
 * audited once), one key per database, the audit chain intact. Figures: {@link GaleraFigures}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GaleraReplicasIT {
    private static final boolean FULL = Boolean.getBoolean("fault.full");
    /** Keys re-wrapped by the rotation the writer dies in: a few thousand in CI, the 100,000 in full. */
    private static final int ROTATION_KEYS = FULL ? 100_000 : 3_000;
    private static final int SEED_CHUNK = 5_000;
    private static final long LOAD_MILLIS_AFTER_KILL = FULL ? 20_000 : 3_000;
    private static final Duration SETTLE = Duration.ofSeconds(FULL ? 600 : 120);

    private static GaleraCluster galera;
    private static ItDatabase db;
    private static FaultRun run;
    private static StoredHierarchy stored;
    private static Rows rows;
    private static ServiceProcess a;
    private static ServiceProcess b;
    private static GaleraFigures figures;

    @BeforeAll
    static void startReplicas() {
        // CI installs galera-4 (.ci/run) and must run this; elsewhere a machine without it skips it, saying why.
        Assumptions.assumeTrue(GaleraCluster.installed() || System.getenv("CI") != null,
                "galera-4 is not installed (apt-get install galera-4 rsync): GaleraReplicasIT skipped");
        galera = GaleraCluster.shared();
        db = ItDatabase.at(galera.jdbcUrl(), galera.user(), galera.password());
        run = FaultRun.of("GaleraReplicasIT", 0);
        stored = new StoredHierarchy(db, run.dataDir);
        rows = new Rows(db);
        figures = new GaleraFigures("GaleraReplicasIT");
        a = new ServiceProcess("galera-a", db, run.dataDir, run.sealKey, "1s").start();
        b = new ServiceProcess("galera-b", db, run.dataDir, run.sealKey, "1s").start();
    }

    @AfterAll
    static void stopReplicas() {
        if (a != null) {
            a.stop();
        }
        if (b != null) {
            b.stop();
        }
        if (figures != null) {
            figures.write();
        }
    }

    /** Every scenario starts with three Synced nodes: a node an earlier one killed rejoins first. */
    @BeforeEach
    void threeNodes() {
        galera.restoreAll();
    }

    /** The certification failure the error mapper is taught, provoked for real: two nodes commit one row. */
    @Test
    @Order(1)
    void commit_sameRowThroughTwoNodes_secondFailsCertificationAndMapsToAborted() throws Exception {
        try (Connection first = node(1); Connection second = node(2)) {
            try (Statement s = first.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS galera_probe (id INT PRIMARY KEY, v INT)");
                s.execute("REPLACE INTO galera_probe VALUES (1, 0)");
            }
            // The table and row reach node 2 by replication, a moment after node 1 answered.
            Awaits.until("the probe row reaches node 2", Duration.ofSeconds(10), () -> {
                try (Statement s = second.createStatement()) {
                    return s.executeQuery("SELECT v FROM galera_probe WHERE id = 1").next();
                } catch (SQLException notYet) {
                    return false;
                }
            });
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            second.createStatement().executeUpdate("UPDATE galera_probe SET v = 2 WHERE id = 1");
            first.createStatement().executeUpdate("UPDATE galera_probe SET v = 1 WHERE id = 1");
            first.commit();

            SQLException refused = null;
            try {
                second.commit();
            } catch (SQLException e) {
                refused = e;
            }

            assertThat((Throwable) refused).as("the second commit of the row").isNotNull();
            assertThat(refused.getErrorCode()).isEqualTo(1213);
            assertThat(ErrorMapper.toStatus(new IllegalStateException("commit failed", refused)).getStatus().getCode())
                    .isEqualTo(Status.Code.ABORTED);
            first.setAutoCommit(true);
            try (Statement s = first.createStatement()) {
                s.execute("DROP TABLE galera_probe");
            }
        }
    }

    @Test
    @Order(2)
    void rotation_writerKilledDuringTheRewrap_finishesOnceWithEveryKey() throws Exception {
        String project = project("grot");
        String cluster = "c0";
        b.clusters().setClusterEncryption(setCluster(project, cluster, EncryptionAtRestProvider.LOCAL));
        for (int seeded = 0; seeded < ROTATION_KEYS; seeded += SEED_CHUNK) {
            stored.seed(project, cluster, Math.min(SEED_CHUNK, ROTATION_KEYS - seeded));
        }
        try (FaultTally tally = FaultTally.begin("GaleraReplicasIT-rotation", "-")) {
            int before = rows.version(project, cluster);
            ListenableFuture<RotationStatus> call = a.clustersAsync().rotateMasterKey(RotateMasterKeyRequest.newBuilder()
                    .setProjectId(project).setClusterName(cluster).build());
            Awaits.until("the rotation starts re-wrapping", SETTLE, () -> rows.version(project, cluster) > before);
            GaleraFigures.Outage outage = figures.kill(galera, "rotation of " + ROTATION_KEYS + " keys");
            tally.trial();
            tally.faults(1);
            boolean acknowledged = succeeded(call);
            Awaits.until("the rotation finishes after the writer died", SETTLE,
                    tolerant(() -> rows.version(project, cluster) == before + 1 && !rows.rotating(project, cluster)));
            outage.recovered(ROTATION_KEYS + " keys re-wrapped under version " + (before + 1)
                    + (acknowledged ? ", the call acknowledged" : ", the call refused: " + failure(call)));
            tally.keysLost(stored.keysLost(project));
            FaultRun.verify(tally, "rotation", () -> {
                assertThat(rows.masterKeyVersions(project, cluster))
                        .isEqualTo(IntStream.rangeClosed(1, before + 1).boxed().toList());
                awaitAuditedOnce(project, cluster, "rotation.started", "master key version " + (before + 1) + " active");
                stored.assertSound(project, "after the writer died in its rotation");
                assertAuditIntact();
            });
        }
    }

    @Test
    @Order(3)
    void cmkChange_writerKilledWhileMasterKeysMove_completesUnderTheNewKey() throws Exception {
        String project = project("gcmk");
        for (int i = 0; i < 20; i++) {
            a.clusters().setClusterEncryption(setCluster(project, "c" + i, EncryptionAtRestProvider.LOCAL));
            stored.seed(project, "c" + i, 50);
        }
        try (FaultTally tally = FaultTally.begin("GaleraReplicasIT-cmk-change", "-")) {
            var call = a.projectsAsync().updateProjectEncryption(enableLocal(project, "k1"));
            Awaits.until("the CMK change starts moving master keys", SETTLE,
                    () -> rows.cmkChangeOpen(project) || call.isDone());
            String phase = call.isDone() ? "after the change returned" : "while master keys moved";
            GaleraFigures.Outage outage = figures.kill(galera, "CMK change of 20 clusters, " + phase);
            tally.trial();
            tally.faults(1);
            boolean acknowledged = succeeded(call);
            if (!acknowledged) {
                // The caller never got an answer: it sends the same update again (idempotent by design).
                Awaits.until("the resent update is taken", SETTLE, tolerant(() -> {
                    b.projects().updateProjectEncryption(enableLocal(project, "k1"));
                    return true;
                }));
            }
            Awaits.until("the CMK change finishes", SETTLE, tolerant(() -> !rows.cmkChangeOpen(project)));
            outage.recovered("every master key under k1" + (acknowledged ? "" : ", after the caller resent the update"));
            tally.writesLost(acknowledged && !"k1".equals(rows.localKeyId(project)) ? 1 : 0);
            tally.keysLost(stored.keysLost(project));
            FaultRun.verify(tally, "cmk change", () -> {
                assertThat(rows.localKeyId(project)).isEqualTo("k1");
                assertThat(rows.masterKeysNotUnder(project, "local:k1")).isEmpty();
                stored.assertSound(project, "after the writer died in its CMK change");
                assertAuditIntact();
            });
        }
    }

    @Test
    @Order(4)
    void getDatabaseKey_writerKilledUnderLoad_everyReleasedKeyKeptOnePerDatabase() throws Exception {
        dataPlaneUnder("GaleraReplicasIT-data-plane", "writer killed under GetDatabaseKey load",
                () -> figures.kill(galera, "GetDatabaseKey load, first uses on both replicas"));
    }

    @Test
    @Order(5)
    void getDatabaseKey_rollingRestartOfAllNodes_everyReleasedKeyKeptOnePerDatabase() throws Exception {
        dataPlaneUnder("GaleraReplicasIT-rolling-restart", "rolling restart under GetDatabaseKey load",
                () -> figures.rollingRestart(galera, "GetDatabaseKey load, first uses on both replicas"));
    }

    private void dataPlaneUnder(String suite, String what, Fault fault) throws Exception {
        String project = project("gdp");
        List<String> clusters = List.of("c0", "c1");
        for (String cluster : clusters) {
            a.clusters().setClusterEncryption(setCluster(project, cluster, EncryptionAtRestProvider.LOCAL));
        }
        String token = CrashSetup.consumerToken(a, project + "-consumer");
        ReleasedKeys released = new ReleasedKeys(stored);
        try (FaultTally tally = FaultTally.begin(suite, "-")) {
            GaleraFigures.Outage outage;
            GaleraLoad load = new GaleraLoad(project, clusters, released, List.of(a.as(token), b.as(token)));
            try (load) {
                load.start(run.random.nextLong());
                Awaits.until("the load gets going", SETTLE, () -> load.answered() >= 100);
                load.resetSilence();
                long answeredBefore = load.answered();
                outage = fault.inject();
                tally.faults(outage.faults());
                Awaits.until("answers again after the fault", SETTLE, () -> load.answered() > answeredBefore + 100
                        && (load.lastRefusalNanos() == 0 || System.nanoTime() - load.lastRefusalNanos() > 2e9));
                Rows.sleep(LOAD_MILLIS_AFTER_KILL);
            }
            for (long i = 0; i < load.answered() + load.refused(); i++) {
                tally.trial();
            }
            List<String> lostOnA = released.lost(project, a.as(token));
            List<String> lostOnB = released.lost(project, b.as(token));
            long refusedFor = load.lastRefusalNanos() == 0 ? 0
                    : Math.max(0, (load.lastRefusalNanos() - outage.startNanos()) / 1_000_000);
            outage.recovered(load.answered() + " calls answered, refused " + load.refusedByCode() + " (the last "
                    + refusedFor + " ms after the fault began), longest time without an answer "
                    + load.longestSilenceMillis() + " ms, " + released.count() + " keys released; the"
                    + " replicas' connections by node " + connectionsByNode());
            tally.keysLost(Math.max(lostOnA.size(), lostOnB.size()));
            FaultRun.verify(tally, what, () -> {
                assertThat(lostOnA).as("released keys read back through replica A").isEmpty();
                assertThat(lostOnB).as("released keys read back through replica B").isEmpty();
                assertThat(released.secondKeys()).isEmpty();
                assertThat(rows.databasesWithSeveralKeys(project)).isEmpty();
                assertThat(load.refusedByCode().keySet()).as("codes callers saw")
                        .isSubsetOf("UNAVAILABLE", "ABORTED", "DEADLINE_EXCEEDED");
                stored.assertSound(project, "after: " + what);
                assertAuditIntact();
            });
        }
    }

    /**
     * A check made while the database may still be failing over: a refused RPC (UNAVAILABLE, ABORTED) or a
     * refused query means "not yet", as a caller retrying would take it.
     */
    private static Callable<Boolean> tolerant(Callable<Boolean> check) {
        return () -> {
            try {
                return check.call();
            } catch (StatusRuntimeException | IllegalStateException notYet) {
                return false;
            }
        };
    }

    @FunctionalInterface
    private interface Fault {
        GaleraFigures.Outage inject();
    }

    private static String project(String prefix) {
        String project = Api.uniqueId(prefix);
        a.projects().updateProjectEncryption(enableLocal(project, "root-" + project));
        return project;
    }

    private static void awaitAuditedOnce(String project, String cluster, String action, String detailPrefix)
            throws SQLException {
        String resource = "projects/" + project + "/clusters/" + cluster;
        Awaits.until(action + " audited", SETTLE, () -> audited(resource, action, detailPrefix) >= 1);
        Rows.sleep(2000); // both replicas' audit writers catch up: a second record would show now
        assertThat(audited(resource, action, detailPrefix)).as("%s records of %s: %s", action, resource, detailPrefix)
                .isEqualTo(1);
    }

    private static long audited(String resource, String action, String detailPrefix) throws SQLException {
        try (Connection c = db.connect(); var s = c.prepareStatement("SELECT COUNT(*) FROM audit_record"
                + " WHERE resource = ? AND action = ? AND detail LIKE CONCAT(?, '%')")) {
            s.setString(1, resource);
            s.setString(2, action);
            s.setString(3, detailPrefix);
            try (var result = s.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private static void assertAuditIntact() {
        for (ServiceProcess replica : List.of(a, b)) {
            VerifyAuditLogResponse audit = replica.admin().audit().withDeadlineAfter(120, java.util.concurrent.TimeUnit.SECONDS)
                    .verifyAuditLog(VerifyAuditLogRequest.getDefaultInstance());
            assertThat(audit.getIntact()).as("audit chain seen from %s: %s", replica, audit.getProblem()).isTrue();
        }
    }

    /** How many connections the service user (other than this one) has open on each live node. */
    private static Map<Integer, Long> connectionsByNode() {
        Map<Integer, Long> byNode = new TreeMap<>();
        galera.states().forEach((node, state) -> {
            if (!"down".equals(state)) {
                try (Connection c = node(node); Statement s = c.createStatement(); var result = s.executeQuery(
                        "SELECT COUNT(*) - 1 FROM information_schema.PROCESSLIST WHERE USER = '" + galera.user() + "'")) {
                    result.next();
                    byNode.put(node, result.getLong(1));
                } catch (SQLException e) {
                    byNode.put(node, -1L);
                }
            }
        });
        return byNode;
    }

    private static Connection node(int node) throws SQLException {
        String url = galera.jdbcUrl().replaceFirst("sequential://[^/]+/", "//127.0.0.1:" + galera.sqlPort(node) + "/")
                .replaceFirst("\\?.*$", "");
        return DriverManager.getConnection(url, galera.user(), galera.password());
    }

    private static boolean succeeded(ListenableFuture<?> call) {
        try {
            return call.get(SETTLE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS) != null;
        } catch (Exception e) {
            return false;
        }
    }

    private static String failure(ListenableFuture<?> call) {
        try {
            call.get();
            return "none";
        } catch (Exception e) {
            return Status.fromThrowable(e).getCode().name();
        }
    }
}
