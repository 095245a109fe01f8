package dev.atrest.terraform.acceptance;

import dev.atrest.v1.ClusterEncryption;
import dev.atrest.v1.ClusterEncryptionServiceGrpc;
import dev.atrest.v1.ClusterEncryptionState;
import dev.atrest.v1.DatabaseKeyServiceGrpc;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetClusterEncryptionRequest;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.GetRotationStatusRequest;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.ProjectEncryptionServiceGrpc;
import dev.atrest.v1.RotateMasterKeyRequest;
import dev.atrest.v1.SetClusterEncryptionRequest;
import dev.atrest.v1.UpdateProjectEncryptionRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * What Java clients do to one project through both replicas while Terraform applies it: read-modify-write
 * increments guarded by etags (a lost update shows as a missing increment), RotateMasterKey on both
 * replicas at once, and database-key releases. Every conflict (ABORTED) is counted and retried.
 */
final class ReplicaClients {
    private static final Duration READY_LIMIT = Duration.ofMinutes(4);

    /** One replica: configuration calls as the deployment's ADMIN, key releases as a KEY_CONSUMER. */
    record Replica(String name, ManagedChannel channel, ManagedChannel consumerChannel) {
        ProjectEncryptionServiceGrpc.ProjectEncryptionServiceBlockingStub projects() {
            return ProjectEncryptionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        }

        ClusterEncryptionServiceGrpc.ClusterEncryptionServiceBlockingStub clusters() {
            return ClusterEncryptionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        }

        DatabaseKeyServiceGrpc.DatabaseKeyServiceBlockingStub keys() {
            return DatabaseKeyServiceGrpc.newBlockingStub(consumerChannel).withDeadlineAfter(60, TimeUnit.SECONDS);
        }
    }

    private final String project;
    private final Random random;
    final AtomicLong conflicts = new AtomicLong();

    ReplicaClients(String project, long seed) {
        this.project = project;
        this.random = new Random(seed);
    }

    /**
     * Adds one to the project's cmk_rotation_alert_days, each time conditional on the etag it read, at least
     * {@code minimum} times and until {@code done}; returns the increments the service acknowledged.
     */
    long incrementAlertDays(Replica replica, int minimum, BooleanSupplier done) {
        awaitTrue(project + " enabled", () -> projectOrNull(replica) != null);
        long acknowledged = 0;
        while (acknowledged < minimum || !done.getAsBoolean()) {
            ProjectEncryption current = replica.projects().getProjectEncryption(
                    GetProjectEncryptionRequest.newBuilder().setProjectId(project).build());
            ProjectEncryption next = ProjectEncryption.newBuilder().setProjectId(project)
                    .setLocalKey(current.getLocalKey()).setCmkRotationAlertDays(current.getCmkRotationAlertDays() + 1)
                    .build();
            if (acknowledgedUnlessConflict(() -> replica.projects().updateProjectEncryption(UpdateProjectEncryptionRequest
                    .newBuilder().setProjectEncryption(next).setEtag(current.getEtag()).build()))) {
                acknowledged++;
            }
            pause();
        }
        return acknowledged;
    }

    /** Adds one to the cluster's rotation_period_days in the same way. */
    long incrementRotationPeriod(Replica replica, String cluster, int minimum, BooleanSupplier done) {
        awaitEnabled(replica, cluster);
        long acknowledged = 0;
        while (acknowledged < minimum || !done.getAsBoolean()) {
            ClusterEncryption current = cluster(replica, cluster);
            SetClusterEncryptionRequest next = SetClusterEncryptionRequest.newBuilder().setProjectId(project)
                    .setClusterName(cluster).setEncryptionAtRestProvider(EncryptionAtRestProvider.LOCAL)
                    .setRotationPeriodDays(current.getRotationPeriodDays() + 1).setEtag(current.getEtag()).build();
            if (acknowledgedUnlessConflict(() -> replica.clusters().setClusterEncryption(next))) {
                acknowledged++;
            }
            pause();
        }
        return acknowledged;
    }

    /**
     * {@code rounds} times: RotateMasterKey on both replicas at the same instant, then waits for the
     * re-wrap. Returns every version the replicas answered: a pair that overlapped answers one version,
     * a pair that did not (the first re-wrap already done) two.
     */
    List<Integer> rotateOnBothAtOnce(Replica a, Replica b, String cluster, int rounds) {
        awaitEnabled(a, cluster);
        List<Integer> answered = new ArrayList<>();
        RotateMasterKeyRequest request = RotateMasterKeyRequest.newBuilder().setProjectId(project)
                .setClusterName(cluster).build();
        for (int round = 0; round < rounds; round++) {
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<Integer> onA = CompletableFuture.supplyAsync(
                    () -> rotateAfter(together, a, request));
            CompletableFuture<Integer> onB = CompletableFuture.supplyAsync(
                    () -> rotateAfter(together, b, request));
            answered.add(onA.join());
            answered.add(onB.join());
            awaitTrue(project + "/" + cluster + " re-wrapped", () -> !a.clusters().getRotationStatus(
                    GetRotationStatusRequest.newBuilder().setProjectId(project).setClusterName(cluster).build())
                    .getInProgress());
        }
        return answered;
    }

    /** Releases a version of the database's key ({@code 0}: the current one, created on first use). */
    byte[] release(Replica replica, String cluster, String database, int version) {
        return replica.keys().getDatabaseKey(GetDatabaseKeyRequest.newBuilder().setProjectId(project)
                .setClusterName(cluster).setDatabaseName(database).setVersion(version).build()).getKey().toByteArray();
    }

    void awaitEnabled(Replica replica, String cluster) {
        awaitTrue(project + "/" + cluster + " enabled", () -> projectOrNull(replica) != null
                && cluster(replica, cluster).getState() == ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_ENABLED);
    }

    ClusterEncryption cluster(Replica replica, String cluster) {
        return replica.clusters().getClusterEncryption(GetClusterEncryptionRequest.newBuilder()
                .setProjectId(project).setClusterName(cluster).build());
    }

    private ProjectEncryption projectOrNull(Replica replica) {
        try {
            ProjectEncryption stored = replica.projects().getProjectEncryption(
                    GetProjectEncryptionRequest.newBuilder().setProjectId(project).build());
            return stored.getProvider() == EncryptionAtRestProvider.LOCAL ? stored : null;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return null; // Terraform has not created it yet
            }
            throw e;
        }
    }

    private boolean acknowledgedUnlessConflict(Runnable write) {
        try {
            write.run();
            return true;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.ABORTED) {
                throw e;
            }
            conflicts.incrementAndGet(); // another writer changed it since our read: read again
            return false;
        }
    }

    private static int rotateAfter(CyclicBarrier together, Replica replica, RotateMasterKeyRequest request) {
        try {
            together.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return replica.clusters().rotateMasterKey(request).getMasterKeyVersion();
    }

    /** A short seeded pause, so writers on the two replicas interleave differently from run to run. */
    private void pause() {
        long millis;
        synchronized (random) {
            millis = random.nextInt(50);
        }
        sleep(millis);
    }

    static void awaitTrue(String what, BooleanSupplier done) {
        Instant deadline = Instant.now().plus(READY_LIMIT);
        while (!done.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + READY_LIMIT + ": " + what);
            }
            sleep(100);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
