package dev.atrest.keyservice.fault;

import static dev.atrest.keyservice.support.Requests.setCluster;

import dev.atrest.keyservice.support.Client;
import dev.atrest.v1.ClusterEncryption;
import dev.atrest.v1.DisableProjectEncryptionRequest;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetClusterEncryptionRequest;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.LocalKeyConfig;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.SetClusterEncryptionRequest;
import dev.atrest.v1.UpdateProjectEncryptionRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One client of the update crash test, owning one project: it sends a seeded random series of project
 * and cluster updates (CMK-independent changes, enable, disable) and GetDatabaseKey calls until the
 * service dies, and remembers what the service acknowledged: the last answer for each resource, and the
 * one call whose answer never came (applied or not: the test finds out which, and that it was whole).
 */
final class ConfigWriter {
    private static final int DATABASES_PER_CLUSTER = 8;
    /** Answers that say the call was refused by a rule and changed nothing. */
    private static final Set<Status.Code> REFUSED = Set.of(Status.Code.FAILED_PRECONDITION, Status.Code.ABORTED,
            Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND);

    /** A resource as read back: the fields a write sets, and what changes with every write of it. */
    record Seen(String fields, String version) {}

    /** An update and the resource it writes; sending it returns what the service answered. */
    record Write(String resource, Function<Client, Seen> send) {}

    final String project;
    private final List<String> clusters;
    private final Random random;
    private final ReleasedKeys released;
    private final Map<String, Seen> acknowledged = new HashMap<>();
    private Write unanswered;
    private int writes;

    ConfigWriter(String project, List<String> clusters, long seed, ReleasedKeys released) {
        this.project = project;
        this.clusters = clusters;
        this.random = new Random(seed);
        this.released = released;
    }

    /** Encrypts the project and all its clusters, every answer acknowledged. */
    void enableAll(Client admin) {
        send(admin, enableProject(365));
        clusters.forEach(cluster -> send(admin, setClusterTo(cluster, EncryptionAtRestProvider.LOCAL, 90)));
    }

    /** Sends random calls until one gets no answer (the service died) or {@code stop} is set. */
    void writeUntilKilled(Client admin, Client consumer, BooleanSupplier stop) {
        unanswered = null;
        while (!stop.getAsBoolean()) {
            String cluster = clusters.get(random.nextInt(clusters.size()));
            int pick = random.nextInt(100);
            try {
                if (pick < 25) {
                    released.record(consumer.databaseKeys().getDatabaseKey(GetDatabaseKeyRequest.newBuilder()
                            .setProjectId(project).setClusterName(cluster)
                            .setDatabaseName("db" + random.nextInt(DATABASES_PER_CLUSTER)).build()));
                    continue;
                }
                Write write = pick < 40 ? enableProject(30 + random.nextInt(700))
                        : pick < 50 ? disableProject()
                        : pick < 80 ? setClusterTo(cluster, EncryptionAtRestProvider.LOCAL, 30 + random.nextInt(300))
                        : setClusterTo(cluster, EncryptionAtRestProvider.NONE, 0);
                if (!trySend(admin, write)) {
                    return;
                }
            } catch (StatusRuntimeException e) {
                if (!REFUSED.contains(e.getStatus().getCode())) {
                    return; // a key request without an answer: nothing to remember
                }
            }
        }
    }

    /** False when the call got no answer: it is remembered as the unanswered one. */
    private boolean trySend(Client admin, Write write) {
        try {
            send(admin, write);
            return true;
        } catch (StatusRuntimeException e) {
            if (REFUSED.contains(e.getStatus().getCode())) {
                return true;
            }
            unanswered = write;
            return false;
        }
    }

    private void send(Client admin, Write write) {
        acknowledged.put(write.resource, write.send.apply(admin));
        writes++;
    }

    int acknowledgedWrites() {
        return writes;
    }

    /**
     * Every acknowledged resource read back after the restart: each must be as last acknowledged, except
     * the one the unanswered call wrote, which may be as that call left it, but then wholly: sending the
     * same call again changes none of its fields. Returns the writes lost and the half-applied calls.
     */
    List<String> check(Client admin) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Seen> resource : acknowledged.entrySet()) {
            Seen now = read(admin, resource.getKey());
            if (now.equals(resource.getValue())) {
                continue;
            }
            if (unanswered != null && unanswered.resource.equals(resource.getKey())) {
                Seen again = unanswered.send.apply(admin);
                if (!again.fields.equals(now.fields)) {
                    problems.add("half applied: " + resource.getKey() + " was " + now + ", the same call again gave " + again);
                }
                acknowledged.put(resource.getKey(), again);
            } else {
                problems.add("write lost: " + resource.getKey() + " acknowledged as " + resource.getValue()
                        + " but is " + now);
            }
        }
        return problems;
    }

    private Seen read(Client admin, String resource) {
        if (resource.equals(project)) {
            return seen(admin.projects().getProjectEncryption(
                    GetProjectEncryptionRequest.newBuilder().setProjectId(project).build()));
        }
        String cluster = resource.substring(project.length() + 1);
        return seen(admin.clusters().getClusterEncryption(
                GetClusterEncryptionRequest.newBuilder().setProjectId(project).setClusterName(cluster).build()));
    }

    private Write enableProject(int alertDays) {
        UpdateProjectEncryptionRequest request = UpdateProjectEncryptionRequest.newBuilder()
                .setProjectEncryption(ProjectEncryption.newBuilder().setProjectId(project)
                        .setLocalKey(LocalKeyConfig.newBuilder().setEnabled(true).setKeyId("root-" + project))
                        .setCmkRotationAlertDays(alertDays)).build();
        return new Write(project, admin -> seen(admin.projects().updateProjectEncryption(request)));
    }

    private Write disableProject() {
        DisableProjectEncryptionRequest request = DisableProjectEncryptionRequest.newBuilder().setProjectId(project).build();
        return new Write(project, admin -> seen(admin.projects().disableProjectEncryption(request)));
    }

    private Write setClusterTo(String cluster, EncryptionAtRestProvider provider, int rotationPeriodDays) {
        SetClusterEncryptionRequest request = setCluster(project, cluster, provider).toBuilder()
                .setRotationPeriodDays(rotationPeriodDays).build();
        return new Write(project + "/" + cluster, admin -> seen(admin.clusters().setClusterEncryption(request)));
    }

    /**
     * The project's etag also moves when the periodic CMK check (run at every start) stores its verdict,
     * so a write is recognised by its update time instead.
     */
    private static Seen seen(ProjectEncryption p) {
        return new Seen(p.getProvider() + " local " + p.getLocalKey().getEnabled() + " " + p.getLocalKey().getKeyId()
                + " alert " + p.getCmkRotationAlertDays() + " days",
                "updated " + p.getUpdateTime().getSeconds() + "." + p.getUpdateTime().getNanos());
    }

    private static Seen seen(ClusterEncryption c) {
        return new Seen(c.getEncryptionAtRestProvider() + " " + c.getState() + " master key v" + c.getMasterKeyVersion()
                + " rotates every " + c.getRotationPeriodDays() + " days", "etag " + c.getEtag());
    }
}
