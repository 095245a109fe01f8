package dev.atrest.terraform.acceptance;

import static dev.atrest.terraform.acceptance.Acceptance.KEY_SERVICE;
import static dev.atrest.terraform.acceptance.Acceptance.MIRROR;
import static dev.atrest.terraform.acceptance.Acceptance.expectExit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.testsupport.FaultTally;
import dev.atrest.testsupport.GaleraCluster;
import dev.atrest.v1.AccessServiceGrpc;
import dev.atrest.v1.AuditServiceGrpc;
import dev.atrest.v1.ClusterEncryptionServiceGrpc;
import dev.atrest.v1.CreateAccessTokenRequest;
import dev.atrest.v1.DatabaseKeyInfo;
import dev.atrest.v1.DatabaseKeyServiceGrpc;
import dev.atrest.v1.GetClusterEncryptionRequest;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ListClusterKeysRequest;
import dev.atrest.v1.ListClusterKeysResponse;
import dev.atrest.v1.MasterKeyVersion;
import dev.atrest.v1.ProjectEncryptionServiceGrpc;
import dev.atrest.v1.Role;
import dev.atrest.v1.VerifyAuditLogRequest;
import dev.atrest.v1.VerifyAuditLogResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Concurrent {@code tofu apply}s through two key-service replicas on a 3-node Galera cluster, with a kill -9 of the
 * Galera node every replica writes through in the middle of each round (issue 17, (d)). Round 1 creates, per
 * working directory, a project, two clusters and a database-key rotation; round 2 changes both clusters and
 * rotates again. The provider rides out the writer change (it asks again after UNAVAILABLE, and a create whose
 * answer was lost records what it finds stored as planned), so every apply must succeed, and afterwards: every
 * plan is empty, every value of round 2 is stored, the database key has exactly one version per rotation, the
 * key released after round 1 still reads back with the same bytes from both replicas, and the audit chain
 * verifies on both. Bounded by default (3 working directories); {@code -Dfault.full=true} runs 8.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GaleraAppliesIT {
    private static final boolean FULL = Boolean.getBoolean("fault.full");
    private static final int DIRECTORIES = FULL ? 8 : 3;
    private static final Duration APPLY_LIMIT = Duration.ofMinutes(4);
    private static final List<String> CLUSTERS = List.of("orders", "ledger");

    private final long seed = Long.getLong("fault.seed", new SecureRandom().nextLong());
    private GaleraCluster galera;
    private Path workRoot;
    private KeyServiceProcess serviceA;
    private KeyServiceProcess serviceB;
    private ManagedChannel adminA;
    private ManagedChannel adminB;
    private ManagedChannel consumerA;
    private ManagedChannel consumerB;

    @BeforeAll
    void startReplicasOnGalera() throws Exception {
        Acceptance.requirePeers();
        galera = GaleraCluster.shared();
        galera.restoreAll();
        workRoot = Acceptance.newWorkRoot();
        Path dataDir = workRoot.resolve("ks");
        String sealKey = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
        serviceA = KeyServiceProcess.startOnDatabase(KEY_SERVICE, dataDir, "replica-a", galera.jdbcUrl(),
                galera.user(), galera.password(), sealKey, List.of());
        serviceB = KeyServiceProcess.startOnDatabase(KEY_SERVICE, dataDir, "replica-b", galera.jdbcUrl(),
                galera.user(), galera.password(), sealKey, List.of());
        adminA = serviceA.adminChannel();
        adminB = serviceB.adminChannel();
        String consumer = AccessServiceGrpc.newBlockingStub(adminA).withDeadlineAfter(30, TimeUnit.SECONDS)
                .createAccessToken(CreateAccessTokenRequest.newBuilder().setName("galera-consumer")
                        .setRole(Role.KEY_CONSUMER).setAllProjects(true).build()).getSecret();
        consumerA = serviceA.channelWith(consumer);
        consumerB = serviceB.channelWith(consumer);
        System.out.printf("GaleraAppliesIT: seed %d, %d working directories (replay: -Dfault.seed=%d)%n", seed,
                DIRECTORIES, seed);
    }

    @AfterAll
    void stopReplicas() {
        for (KeyServiceProcess service : new KeyServiceProcess[] {serviceB, serviceA}) {
            if (service != null) {
                service.close();
            }
        }
        if (galera != null) {
            galera.restoreAll(); // the next test class starts from three nodes
        }
    }

    @Test
    void concurrentApplies_writerNodeKilledInEachRound_allSucceedAndNothingIsLost() throws Exception {
        try (FaultTally tally = FaultTally.begin("GaleraAppliesIT", seed)) {
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < DIRECTORIES; i++) {
                runs.add(new Run("gal-" + UUID.randomUUID().toString().substring(0, 8),
                        i % 2 == 0 ? serviceA : serviceB));
            }
            applyAllKillingTheWriter(runs, 1, tally);
            Map<String, byte[]> releasedAfterRoundOne = new TreeMap<>();
            for (Run run : runs) {
                releasedAfterRoundOne.put(run.project, LeakCanaries.remembered("database key",
                        release(consumerA, run.project, 1).toByteArray()));
            }
            galera.restoreAll();
            applyAllKillingTheWriter(runs, 2, tally);
            galera.restoreAll();

            for (Run run : runs) {
                tally.verify(run.project, () -> {
                    expectExit(run.tofu.run(run.variables(2, "plan", "-detailed-exitcode", "-input=false")), 0);
                    long writesLost = run.checkStored();
                    tally.writesLost(writesLost);
                    byte[] before = releasedAfterRoundOne.get(run.project);
                    long keysLost = 0;
                    for (ManagedChannel consumer : List.of(consumerA, consumerB)) {
                        if (!Arrays.equals(release(consumer, run.project, 1).toByteArray(), before)) {
                            keysLost++;
                        }
                    }
                    tally.keysLost(keysLost);
                    assertThat(writesLost).as("round-2 values of %s not stored", run.project).isZero();
                    assertThat(keysLost).as("releases of %s/ledger/1 v1 with other bytes", run.project).isZero();
                });
            }
            tally.verify("audit chain", () -> {
                for (ManagedChannel admin : List.of(adminA, adminB)) {
                    VerifyAuditLogResponse verified = AuditServiceGrpc.newBlockingStub(admin)
                            .withDeadlineAfter(2, TimeUnit.MINUTES).verifyAuditLog(VerifyAuditLogRequest.getDefaultInstance());
                    assertThat(verified.getIntact()).as(verified.toString()).isTrue();
                }
            });
        }
    }

    /**
     * Starts every working directory's apply at once and kills the writer node once the first of them has
     * stored something, so that the others are in the middle of their calls; every apply must still succeed.
     */
    private void applyAllKillingTheWriter(List<Run> runs, int round, FaultTally tally) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(runs.size());
        try {
            List<Future<WorkingDirectory.Result>> applies = new ArrayList<>();
            for (Run run : runs) {
                applies.add(pool.submit(() -> run.tofu.run(run.variables(round, "apply", "-auto-approve",
                        "-input=false"))));
            }
            awaitFirstStored(runs, round);
            int writer = galera.writer();
            long killed = System.nanoTime();
            galera.kill(writer);
            tally.faults(1);
            System.out.printf("GaleraAppliesIT: round %d, killed writer node %d%n", round, writer);
            List<WorkingDirectory.Result> results = new ArrayList<>();
            for (Future<WorkingDirectory.Result> apply : applies) {
                results.add(apply.get(APPLY_LIMIT.toSeconds(), TimeUnit.SECONDS));
                tally.trial();
            }
            System.out.printf("GaleraAppliesIT: round %d, every apply done %d ms after the kill%n", round,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
            AssertionError failed = null;
            for (int i = 0; i < runs.size(); i++) {
                Run run = runs.get(i);
                WorkingDirectory.Result result = results.get(i);
                try {
                    tally.verify(run.project + " round " + round, () -> assertThat(result.exitCode())
                            .as("apply of %s in round %d:%n%s", run.project, round, result.output()).isZero());
                } catch (AssertionError e) {
                    failed = failed == null ? e : failed; // every apply is counted before the first failure is thrown
                }
            }
            if (failed != null) {
                throw failed;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Until one project shows round {@code round}'s orders rotation period (or a minute passes). */
    private void awaitFirstStored(List<Run> runs, int round) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            for (Run run : runs) {
                try {
                    if (ClusterEncryptionServiceGrpc.newBlockingStub(adminA).withDeadlineAfter(5, TimeUnit.SECONDS)
                            .getClusterEncryption(GetClusterEncryptionRequest.newBuilder().setProjectId(run.project)
                                    .setClusterName("orders").build()).getRotationPeriodDays() == period(round)) {
                        return;
                    }
                } catch (StatusRuntimeException notYet) {
                    // NOT_FOUND before the project exists, UNAVAILABLE while a replica starts its pool
                }
            }
            Thread.sleep(100);
        }
    }

    private static int period(int round) {
        return 30 + round;
    }

    private static dev.atrest.v1.DatabaseKey release(ManagedChannel consumer, String project, int version) {
        return DatabaseKeyServiceGrpc.newBlockingStub(consumer).withDeadlineAfter(30, TimeUnit.SECONDS)
                .getDatabaseKey(GetDatabaseKeyRequest.newBuilder().setProjectId(project).setClusterName("ledger")
                        .setDatabaseName("1").setVersion(version).build());
    }

    /** One working directory: its project, the replica its provider talks to. */
    private final class Run {
        final String project;
        final WorkingDirectory tofu;

        Run(String project, KeyServiceProcess replica) throws Exception {
            this.project = project;
            Path dir = Files.createDirectories(workRoot.resolve(project));
            Files.writeString(dir.resolve("main.tf"), """
                    terraform {
                      required_providers {
                        atrest = { source = "registry.terraform.io/atrest/atrest" }
                      }
                    }
                    variable "project_id" { type = string }
                    variable "period" { type = number }
                    variable "rotation" { type = string }
                    resource "atrest_project_encryption" "p" {
                      project_id = var.project_id
                      local_key_config { enabled = true }
                    }
                    resource "atrest_cluster_encryption" "c" {
                      for_each                    = toset(["orders", "ledger"])
                      project_id                  = atrest_project_encryption.p.project_id
                      cluster_name                = each.key
                      encryption_at_rest_provider = "LOCAL"
                      rotation_period_days        = var.period
                    }
                    resource "atrest_database_key_rotation" "ledger_1" {
                      project_id    = atrest_project_encryption.p.project_id
                      cluster_name  = atrest_cluster_encryption.c["ledger"].cluster_name
                      database_name = "1"
                      triggers      = { rotation = var.rotation }
                    }
                    """);
            tofu = new WorkingDirectory(Cli.OPENTOFU, dir, MIRROR, replica, false);
            expectExit(tofu.run("init", "-input=false"), 0);
        }

        String[] variables(int round, String... command) {
            List<String> args = new ArrayList<>(List.of(command));
            args.addAll(List.of("-var", "project_id=" + project, "-var", "period=" + period(round),
                    "-var", "rotation=round-" + round));
            return args.toArray(String[]::new);
        }

        /**
         * What round 2 asked for is stored, read through replica B; one key version per rotation. Returns how many
         * acknowledged cluster settings are not stored.
         */
        long checkStored() {
            long lost = 0;
            assertThat(ProjectEncryptionServiceGrpc.newBlockingStub(adminB).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getProjectEncryption(GetProjectEncryptionRequest.newBuilder().setProjectId(project).build())
                    .getLocalKey().getEnabled()).isTrue();
            for (String cluster : CLUSTERS) {
                var stub = ClusterEncryptionServiceGrpc.newBlockingStub(adminB).withDeadlineAfter(30, TimeUnit.SECONDS);
                if (stub.getClusterEncryption(GetClusterEncryptionRequest.newBuilder().setProjectId(project)
                        .setClusterName(cluster).build()).getRotationPeriodDays() != period(2)) {
                    lost++;
                }
                ListClusterKeysResponse keys = stub.listClusterKeys(ListClusterKeysRequest.newBuilder()
                        .setProjectId(project).setClusterName(cluster).build());
                List<Integer> masterVersions = keys.getMasterKeyVersionsList().stream()
                        .map(MasterKeyVersion::getVersion).sorted().toList();
                assertThat(masterVersions).as("master-key versions of %s/%s", project, cluster)
                        .isEqualTo(IntStream.rangeClosed(1, masterVersions.size()).boxed().toList());
                if (cluster.equals("ledger")) {
                    // Round 1 made version 1 (the database had no key), round 2 version 2: exactly once each.
                    assertThat(keys.getDatabaseKeysList()).filteredOn(key -> key.getDatabaseName().equals("1"))
                            .extracting(DatabaseKeyInfo::getVersion).as("key versions of %s/ledger/1", project)
                            .containsExactly(1, 2);
                }
            }
            return lost;
        }
    }
}
