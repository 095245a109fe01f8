package dev.atrest.terraform.acceptance;

import static dev.atrest.terraform.acceptance.Acceptance.KEY_SERVICE;
import static dev.atrest.terraform.acceptance.Acceptance.MIRROR;
import static dev.atrest.terraform.acceptance.Acceptance.expectExit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.terraform.acceptance.ReplicaClients.Replica;
import dev.atrest.testsupport.FaultTally;
import dev.atrest.v1.AccessServiceGrpc;
import dev.atrest.v1.CreateAccessTokenRequest;
import dev.atrest.v1.DatabaseKeyInfo;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ListClusterKeysRequest;
import dev.atrest.v1.ListClusterKeysResponse;
import dev.atrest.v1.MasterKeyVersion;
import dev.atrest.v1.Role;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two key-service replicas on one MariaDB, with Terraform and Java clients racing on the same projects and
 * clusters: per project one OpenTofu working directory (its own state) applies through replica A and another
 * through replica B, round after round at the same time (a new orders rotation period and a new root key each round), while Java clients on both replicas make
 * etag-guarded increments and call RotateMasterKey on both replicas at once. Afterwards nothing may be
 * lost: every acknowledged increment is there, every working directory's plan is empty, master-key
 * versions run 1..n with one version per acknowledged rotation, and every database key still unwraps to
 * the bytes released before. Bounded by default; {@code -Dfault.full=true} runs more rounds and projects,
 * {@code -Dfault.trials=N} sets the rounds, {@code -Dfault.seed=S} replays the writers' pauses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicasAcceptanceIT {
    private static final boolean FULL = Boolean.getBoolean("fault.full");
    private static final int ROUNDS = Integer.getInteger("fault.trials", FULL ? 6 : 2);
    private static final int PROJECTS = FULL ? 3 : 2;
    /** The variables of the sequential create (A) and import (B) before the concurrent rounds 0, 1, ... */
    private static final int SET_UP_ROUND = -1;
    private static final int ROTATION_PAIRS = FULL ? 6 : 2;
    private static final int MIN_INCREMENTS = FULL ? 20 : 5;
    private static final int DATABASES = 4;
    /** The service's defaults, where the etag-guarded increments start. */
    private static final int DEFAULT_ALERT_DAYS = 365;
    private static final int DEFAULT_ROTATION_PERIOD = 90;
    private static final List<String> CLUSTERS = List.of("orders", "ledger");
    /** Periodic rotation checks every second on both replicas, racing the explicit rotations. */
    private static final List<String> FREQUENT_CHECKS = List.of("-Datrest.rotation.first-check-delay=1s",
            "-Datrest.rotation.check-interval=1s");

    private final long seed = Long.getLong("fault.seed", new SecureRandom().nextLong());
    private Path workRoot;
    private KeyServiceProcess serviceA;
    private KeyServiceProcess serviceB;
    private Replica a;
    private Replica b;

    @BeforeAll
    void startReplicas() throws Exception {
        Acceptance.requirePeers();
        workRoot = Acceptance.newWorkRoot();
        serviceA = KeyServiceProcess.start(KEY_SERVICE, workRoot, FREQUENT_CHECKS);
        serviceB = KeyServiceProcess.startReplica(KEY_SERVICE, serviceA, "replica-b", FREQUENT_CHECKS);
        ManagedChannel adminOnA = serviceA.adminChannel();
        String consumerToken = AccessServiceGrpc.newBlockingStub(adminOnA).createAccessToken(CreateAccessTokenRequest
                .newBuilder().setName("replicas-consumer").setRole(Role.KEY_CONSUMER).setAllProjects(true).build())
                .getSecret();
        a = new Replica("A", adminOnA, serviceA.channelWith(consumerToken));
        b = new Replica("B", serviceB.adminChannel(), serviceB.channelWith(consumerToken));
        System.out.printf("ReplicasAcceptanceIT: seed %d, %d rounds (replay: -Dfault.seed=%d)%n", seed, ROUNDS, seed);
    }

    @AfterAll
    void stopReplicas() throws Exception {
        // Each closes the channels it handed out; B first, since it runs on A's MariaDB.
        for (KeyServiceProcess service : Arrays.asList(serviceB, serviceA)) {
            if (service != null) {
                service.close();
            }
        }
    }

    @Test
    void concurrentAppliesUpdatesAndRotations_onTwoReplicas_loseNothing() throws Exception {
        try (FaultTally tally = FaultTally.begin("ReplicasAcceptanceIT", seed)) {
            List<ProjectRun> runs = new ArrayList<>();
            for (int i = 0; i < PROJECTS; i++) {
                runs.add(new ProjectRun("rep-" + UUID.randomUUID().toString().substring(0, 8), seed + i));
            }
            ExecutorService pool = Executors.newCachedThreadPool();
            try {
                List<Future<?>> work = new ArrayList<>();
                CyclicBarrier roundStart = new CyclicBarrier(2 * PROJECTS);
                for (ProjectRun run : runs) {
                    run.createThroughAThenImportIntoB();
                    work.addAll(run.start(pool, roundStart));
                }
                tally.verify("applies, updates and rotations", () -> {
                    for (Future<?> task : work) {
                        task.get();
                    }
                });
            } finally {
                pool.shutdownNow();
            }
            for (ProjectRun run : runs) {
                tally.faults(run.clients.conflicts.get() + run.rotationPairs.get());
                for (int round = 0; round < ROUNDS; round++) {
                    tally.trial();
                }
                tally.verify(run.project, () -> run.check(tally));
            }
        }
    }

    /** One project: its two Terraform working directories and its Java clients, and what they acknowledged. */
    private final class ProjectRun {
        final String project;
        final ReplicaClients clients;
        final WorkingDirectory viaA;
        final WorkingDirectory viaB;
        final AtomicBoolean terraformDone = new AtomicBoolean();
        final AtomicLong alertDayIncrements = new AtomicLong();
        final AtomicLong ledgerIncrements = new AtomicLong();
        final AtomicLong rotationPairs = new AtomicLong();
        final Map<String, List<Integer>> answeredVersions = new ConcurrentHashMap<>();
        final Map<String, byte[]> released = new ConcurrentHashMap<>();

        ProjectRun(String project, long seed) throws Exception {
            this.project = project;
            this.clients = new ReplicaClients(project, seed);
            this.viaA = workingDirectory("a", serviceA);
            this.viaB = workingDirectory("b", serviceB);
        }

        private WorkingDirectory workingDirectory(String name, KeyServiceProcess replica) throws Exception {
            Path dir = Files.createDirectories(workRoot.resolve(project + "-" + name));
            Files.writeString(dir.resolve("main.tf"), """
                    terraform {
                      required_providers {
                        atrest = { source = "registry.terraform.io/atrest/atrest" }
                      }
                    }
                    variable "project_id" { type = string }
                    variable "orders_period" { type = number }
                    variable "root_key" { type = string }
                    # cmk_rotation_alert_days and the ledger's rotation_period_days are left out on purpose:
                    # Java clients increment them, and Terraform must keep what they stored, also while it
                    # changes the project's root key (which re-wraps every master key, during the rotations).
                    resource "atrest_project_encryption" "p" {
                      project_id = var.project_id
                      local_key_config {
                        enabled = true
                        key_id  = var.root_key
                      }
                    }
                    resource "atrest_cluster_encryption" "orders" {
                      project_id                  = atrest_project_encryption.p.project_id
                      cluster_name                = "orders"
                      encryption_at_rest_provider = "LOCAL"
                      rotation_period_days        = var.orders_period
                    }
                    resource "atrest_cluster_encryption" "ledger" {
                      project_id                  = atrest_project_encryption.p.project_id
                      cluster_name                = "ledger"
                      encryption_at_rest_provider = "LOCAL"
                    }
                    """);
            WorkingDirectory tofu = new WorkingDirectory(Cli.OPENTOFU, dir, MIRROR, replica, false);
            expectExit(tofu.run("init", "-input=false"), 0);
            return tofu;
        }

        /**
         * A creates the objects and B imports them, as a second configuration must (a create never takes over
         * what another state manages); from then on both states manage the same objects and race their updates.
         */
        void createThroughAThenImportIntoB() throws Exception {
            expectExit(viaA.run(variables(SET_UP_ROUND, "apply", "-auto-approve")), 0);
            Files.writeString(viaB.path().resolve("imports.tf"), """
                    import {
                      to = atrest_project_encryption.p
                      id = var.project_id
                    }
                    import {
                      to = atrest_cluster_encryption.orders
                      id = "${var.project_id}/orders"
                    }
                    import {
                      to = atrest_cluster_encryption.ledger
                      id = "${var.project_id}/ledger"
                    }
                    """);
            expectExit(viaB.run(variables(SET_UP_ROUND, "apply", "-auto-approve")), 0);
        }

        List<Future<?>> start(ExecutorService pool, CyclicBarrier roundStart) {
            List<Callable<Object>> tasks = new ArrayList<>();
            tasks.add(() -> applyRounds(viaA, roundStart));
            tasks.add(() -> applyRounds(viaB, roundStart));
            BooleanSupplier done = terraformDone::get;
            tasks.add(() -> alertDayIncrements.addAndGet(clients.incrementAlertDays(a, MIN_INCREMENTS, done)));
            tasks.add(() -> alertDayIncrements.addAndGet(clients.incrementAlertDays(b, MIN_INCREMENTS, done)));
            tasks.add(() -> ledgerIncrements.addAndGet(clients.incrementRotationPeriod(a, "ledger", MIN_INCREMENTS, done)));
            tasks.add(() -> ledgerIncrements.addAndGet(clients.incrementRotationPeriod(b, "ledger", MIN_INCREMENTS, done)));
            for (String cluster : CLUSTERS) {
                tasks.add(() -> releaseThenRotate(cluster));
            }
            return tasks.stream().<Future<?>>map(pool::submit).toList();
        }

        /** Every round, both working directories apply the same new orders period at the same time. */
        private Object applyRounds(WorkingDirectory tofu, CyclicBarrier roundStart) throws Exception {
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    roundStart.await();
                    expectExit(tofu.run(variables(round, "apply", "-auto-approve")), 0);
                }
            } catch (Exception | AssertionError e) {
                roundStart.reset(); // the other directories' next await fails at once instead of waiting forever
                throw e;
            } finally {
                terraformDone.set(true); // writers stop once either directory stops, so nothing waits forever
            }
            return null;
        }

        /** A tofu command with round {@code round}'s variables: a new orders period and root key every round. */
        private String[] variables(int round, String... command) {
            List<String> arguments = new ArrayList<>(List.of(command));
            arguments.addAll(List.of("-input=false", "-var=project_id=" + project, "-var=orders_period=" + (30 + round),
                    "-var=root_key=root-" + round));
            return arguments.toArray(String[]::new);
        }

        /** Releases keys through both replicas (creating them), then rotates on both at once, releasing between. */
        private Object releaseThenRotate(String cluster) {
            clients.awaitEnabled(a, cluster);
            for (int i = 0; i < DATABASES; i++) {
                released.put(cluster + "/db" + i, clients.release(i % 2 == 0 ? a : b, cluster, "db" + i, 0));
            }
            List<Integer> answered = new ArrayList<>();
            for (int pair = 0; pair < ROTATION_PAIRS; pair++) {
                answered.addAll(clients.rotateOnBothAtOnce(a, b, cluster, 1));
                rotationPairs.incrementAndGet();
                String database = "late" + pair; // created under the newest master key, then re-wrapped by the next
                released.put(cluster + "/" + database, clients.release(pair % 2 == 0 ? b : a, cluster, database, 0));
            }
            answeredVersions.put(cluster, answered);
            return null;
        }

        void check(FaultTally tally) throws Exception {
            long alertDays = a.projects().getProjectEncryption(GetProjectEncryptionRequest.newBuilder()
                    .setProjectId(project).build()).getCmkRotationAlertDays();
            long ledgerPeriod = clients.cluster(b, "ledger").getRotationPeriodDays();
            tally.writesLost(Math.abs(DEFAULT_ALERT_DAYS + alertDayIncrements.get() - alertDays)
                    + Math.abs(DEFAULT_ROTATION_PERIOD + ledgerIncrements.get() - ledgerPeriod));
            for (WorkingDirectory tofu : List.of(viaA, viaB)) {
                WorkingDirectory.Result plan = tofu.run(variables(ROUNDS - 1, "plan", "-detailed-exitcode"));
                if (plan.exitCode() != 0) {
                    tally.writesLost(1); // the last acknowledged apply is not what the service holds
                }
                expectExit(plan, 0);
            }
            assertThat(alertDays).as("%s cmk_rotation_alert_days: %d + every acknowledged increment", project,
                    DEFAULT_ALERT_DAYS).isEqualTo(DEFAULT_ALERT_DAYS + alertDayIncrements.get());
            assertThat(ledgerPeriod).as("%s ledger rotation_period_days: %d + every acknowledged increment", project,
                    DEFAULT_ROTATION_PERIOD).isEqualTo(DEFAULT_ROTATION_PERIOD + ledgerIncrements.get());
            for (String cluster : CLUSTERS) {
                checkKeys(cluster, tally);
            }
        }

        /** Versions 1..n, one per distinct acknowledged rotation, and every database key unwrapping. */
        private void checkKeys(String cluster, FaultTally tally) {
            ListClusterKeysResponse keys = a.clusters().listClusterKeys(ListClusterKeysRequest.newBuilder()
                    .setProjectId(project).setClusterName(cluster).build());
            List<Integer> versions = keys.getMasterKeyVersionsList().stream().map(MasterKeyVersion::getVersion)
                    .sorted().toList();
            TreeSet<Integer> rotatedTo = new TreeSet<>(answeredVersions.get(cluster));
            long lost = 0;
            for (DatabaseKeyInfo key : keys.getDatabaseKeysList()) {
                String name = cluster + "/" + key.getDatabaseName();
                for (Replica replica : List.of(a, b)) {
                    try {
                        byte[] now = clients.release(replica, cluster, key.getDatabaseName(), key.getVersion());
                        if (released.containsKey(name) && !Arrays.equals(released.get(name), now)) {
                            lost++;
                        }
                    } catch (StatusRuntimeException e) {
                        lost++;
                    }
                }
            }
            tally.keysLost(lost);
            assertThat(versions).as("%s/%s master-key versions", project, cluster)
                    .isEqualTo(IntStream.rangeClosed(1, versions.size()).boxed().toList());
            assertThat(rotatedTo).as("%s/%s: the versions RotateMasterKey answered are exactly the rotations made",
                    project, cluster).isEqualTo(new TreeSet<>(versions.subList(1, versions.size())));
            assertThat(keys.getDatabaseKeysList()).extracting(DatabaseKeyInfo::getDatabaseName)
                    .as("%s/%s database keys", project, cluster).containsAll(released.keySet().stream()
                            .filter(n -> n.startsWith(cluster + "/")).map(n -> n.substring(cluster.length() + 1)).toList());
            assertThat(lost).as("%s/%s database keys that no longer unwrap to the released bytes", project, cluster)
                    .isZero();
        }
    }
}
