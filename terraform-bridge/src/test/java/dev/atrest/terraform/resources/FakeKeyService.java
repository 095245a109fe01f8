package dev.atrest.terraform.resources;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.protobuf.Timestamp;
import dev.atrest.terraform.provider.AtrestClient;
import dev.atrest.v1.Alert;
import dev.atrest.v1.AlertServiceGrpc;
import dev.atrest.v1.ClusterEncryption;
import dev.atrest.v1.ClusterEncryptionServiceGrpc;
import dev.atrest.v1.ClusterEncryptionState;
import dev.atrest.v1.DatabaseKeyInfo;
import dev.atrest.v1.DisableProjectEncryptionRequest;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetClusterEncryptionRequest;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.KeyState;
import dev.atrest.v1.ListAlertsRequest;
import dev.atrest.v1.ListAlertsResponse;
import dev.atrest.v1.ListClusterKeysRequest;
import dev.atrest.v1.ListClusterKeysResponse;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.ProjectEncryptionServiceGrpc;
import dev.atrest.v1.RotateDatabaseKeyRequest;
import dev.atrest.v1.SetClusterEncryptionRequest;
import dev.atrest.v1.UpdateProjectEncryptionRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory key service over an in-process channel, following the atrest.v1 contract's rules closely
 * enough for the provider's lifecycle: secrets are never echoed, a disabled project keeps its row,
 * disabling is refused while clusters are encrypted (CANNOT_DISABLE_ENCRYPTION_AT_REST naming them), day counts
 * of 0 keep the stored value, every write moves the etag and a stale etag is ABORTED (a project never stored
 * ignores it, a cluster never stored reads as "v0"), the generation moves only when encryption goes from off to
 * on, and the next call can be made to fail. Database keys have versions: a rotation makes the next one (1 for a
 * database without a key), retires the previous, refuses a cluster that is not encrypted and an expected_version
 * that is not the current one (DATABASE_KEY_VERSION_CHANGED). Unlike the service it lets a cluster enable without
 * its project.
 */
final class FakeKeyService implements AutoCloseable {

    final Map<String, ProjectEncryption> projects = new ConcurrentHashMap<>();
    final Map<String, ClusterEncryption> clusters = new ConcurrentHashMap<>();
    final Map<String, List<Alert>> alerts = new ConcurrentHashMap<>();
    final List<ListAlertsRequest> alertRequests = new ArrayList<>();
    /** Database-key versions by "project/cluster", in ListClusterKeys' order (database name, then version). */
    final Map<String, List<DatabaseKeyInfo>> databaseKeys = new ConcurrentHashMap<>();
    final List<RotateDatabaseKeyRequest> rotateRequests = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** When a master key created now becomes due: enable and rotation count from here. */
    static final long NOW_SECONDS = 1_790_000_000;
    static final int PAGE_SIZE = 2;
    private volatile StatusRuntimeException nextError;
    private volatile boolean nextErrorOnlyOnWrite;
    /** How many calls in a row still fail with {@link #nextError}. */
    private final java.util.concurrent.atomic.AtomicInteger failuresLeft = new java.util.concurrent.atomic.AtomicInteger();
    /** The next project or cluster write is stored but answered UNAVAILABLE, as when the answer is lost. */
    volatile boolean loseNextWriteAnswer;
    /** Pauses of the provider's retries (ServiceRetry), in virtual time. */
    final VirtualWaiting retryWaiting = new VirtualWaiting();
    /** Writes that changed something: a test proves "nothing changed" with it. */
    final java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
    /** Runs after each GetClusterEncryption answer: a test makes another client write in between. */
    volatile Runnable afterClusterRead = () -> { };
    /** Runs after each ListClusterKeys answer: a test makes another client rotate in between. */
    volatile Runnable afterKeysRead = () -> { };
    /** The next RotateDatabaseKey is carried out but answered UNAVAILABLE, as when a connection drops after the call. */
    volatile boolean loseNextRotationAnswer;
    /** How many of the next RotateDatabaseKey calls fail UNAVAILABLE without arriving, as against a service down. */
    final java.util.concurrent.atomic.AtomicInteger unreachableRotations = new java.util.concurrent.atomic.AtomicInteger();
    private final Server server;
    private final ManagedChannel channel;
    final AtrestClient client;

    FakeKeyService() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new Projects()).addService(new Clusters())
                .addService(new Alerts()).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        client = AtrestClient.over(channel, retryWaiting);
    }

    /** The next call fails with this status and these google.rpc details. */
    void failNext(Code code, String message, com.google.protobuf.Message... details) {
        failNext(false, code, message, details);
    }

    /** The next {@code calls} calls fail so, as against a service that stays down. */
    void failNextCalls(int calls, Code code, String message) {
        failNext(false, code, message);
        failuresLeft.set(calls);
    }

    /** The next write (update, set, disable) fails so; reads before it (a create's check) answer as usual. */
    void failNextWrite(Code code, String message, com.google.protobuf.Message... details) {
        failNext(true, code, message, details);
    }

    private void failNext(boolean onlyOnWrite, Code code, String message, com.google.protobuf.Message... details) {
        nextErrorOnlyOnWrite = onlyOnWrite;
        failuresLeft.set(1);
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message);
        for (com.google.protobuf.Message detail : details) {
            status.addDetails(Any.pack(detail));
        }
        nextError = StatusProto.toStatusRuntimeException(status.build());
    }

    static BadRequest fieldViolation(String field, String description) {
        return BadRequest.newBuilder().addFieldViolations(BadRequest.FieldViolation.newBuilder()
                .setField(field).setDescription(description)).build();
    }

    static ErrorInfo reason(String reason, Map<String, String> metadata) {
        return ErrorInfo.newBuilder().setReason(reason).setDomain("atrest.dev").putAllMetadata(metadata).build();
    }

    /** The service rotates a cluster's master key on its own, as its scheduled job would. */
    void rotate(String projectId, String clusterName, long atSeconds) {
        clusters.computeIfPresent(projectId + "/" + clusterName, (key, stored) -> stored.toBuilder()
                .setMasterKeyVersion(stored.getMasterKeyVersion() + 1)
                .setLastRotationTime(Timestamp.newBuilder().setSeconds(atSeconds))
                .setNextRotationTime(Timestamp.newBuilder().setSeconds(atSeconds + stored.getRotationPeriodDays() * 86_400L))
                .build());
    }

    /**
     * Makes the next version of a database key, wrapped under the cluster's current master key, as RotateDatabaseKey
     * (or a first GetDatabaseKey) would; null, and nothing made, when {@code expectedVersion} is set and not current.
     */
    synchronized DatabaseKeyInfo newDatabaseKeyVersion(String projectId, String clusterName, String databaseName,
            Integer expectedVersion) {
        String cluster = projectId + "/" + clusterName;
        List<DatabaseKeyInfo> versions = new ArrayList<>(databaseKeys.getOrDefault(cluster, List.of()));
        int current = versions.stream().filter(key -> key.getDatabaseName().equals(databaseName))
                .mapToInt(DatabaseKeyInfo::getVersion).max().orElse(0);
        if (expectedVersion != null && expectedVersion != current) {
            return null;
        }
        versions.replaceAll(key -> key.getDatabaseName().equals(databaseName)
                ? key.toBuilder().setState(KeyState.KEY_STATE_RETIRED).build() : key);
        ClusterEncryption stored = clusters.get(cluster);
        DatabaseKeyInfo made = DatabaseKeyInfo.newBuilder().setDatabaseName(databaseName).setVersion(current + 1)
                .setWrappedByMasterKeyVersion(stored == null ? 1 : stored.getMasterKeyVersion())
                .setState(KeyState.KEY_STATE_ACTIVE)
                .setCreateTime(Timestamp.newBuilder().setSeconds(NOW_SECONDS + current + 1)).build();
        versions.add(made);
        versions.sort(java.util.Comparator.comparing(DatabaseKeyInfo::getDatabaseName)
                .thenComparingInt(DatabaseKeyInfo::getVersion));
        databaseKeys.put(cluster, List.copyOf(versions));
        writes.incrementAndGet();
        return made;
    }

    /** A master-key rotation's re-wrap: every database key of the cluster now wrapped under {@code masterKeyVersion}. */
    void rewrapDatabaseKeys(String projectId, String clusterName, int masterKeyVersion) {
        databaseKeys.computeIfPresent(projectId + "/" + clusterName, (cluster, versions) -> versions.stream()
                .map(key -> key.toBuilder().setWrappedByMasterKeyVersion(masterKeyVersion).build()).toList());
    }

    /** INVALID_ARGUMENT with a BadRequest naming {@code field}, as the service answers a day count below 1. */
    private static boolean badDays(int days, String field, StreamObserver<?> response) {
        if (days >= 0) {
            return false;
        }
        response.onError(StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT.getNumber()).setMessage("invalid request")
                .addDetails(Any.pack(fieldViolation(field, "must be at least 1 day"))).build()));
        return true;
    }

    /** Whether this write's answer is to be lost (the write itself is stored). */
    private boolean answerLost(StreamObserver<?> response) {
        if (!loseNextWriteAnswer) {
            return false;
        }
        loseNextWriteAnswer = false;
        response.onError(Status.UNAVAILABLE.withDescription("connection reset").asRuntimeException());
        return true;
    }

    private boolean failed(StreamObserver<?> response, boolean write) {
        StatusRuntimeException error = nextError;
        if (error == null || (nextErrorOnlyOnWrite && !write)) {
            return false;
        }
        if (failuresLeft.decrementAndGet() <= 0) {
            nextError = null;
        }
        response.onError(error);
        return true;
    }

    private final class Projects extends ProjectEncryptionServiceGrpc.ProjectEncryptionServiceImplBase {
        @Override
        public void getProjectEncryption(GetProjectEncryptionRequest request, StreamObserver<ProjectEncryption> response) {
            if (failed(response, false)) {
                return;
            }
            ProjectEncryption stored = projects.get(request.getProjectId());
            if (stored == null) {
                response.onError(Status.NOT_FOUND.withDescription("project " + request.getProjectId()).asRuntimeException());
                return;
            }
            response.onNext(stored);
            response.onCompleted();
        }

        @Override
        public void updateProjectEncryption(UpdateProjectEncryptionRequest request,
                StreamObserver<ProjectEncryption> response) {
            if (failed(response, true)) {
                return;
            }
            ProjectEncryption sent = request.getProjectEncryption();
            if (badDays(sent.getCmkRotationAlertDays(), "project_encryption.cmk_rotation_alert_days", response)) {
                return;
            }
            ProjectEncryption previous = projects.get(sent.getProjectId());
            // As the service: an etag applies to a stored configuration; with none stored there is nothing to match.
            if (previous != null && staleEtag(request.getEtag(), previous.getEtag(), response)) {
                return;
            }
            ProjectEncryption.Builder stored = sent.toBuilder();
            if (sent.getCmkRotationAlertDays() == 0) {
                stored.setCmkRotationAlertDays(previous == null ? 365 : previous.getCmkRotationAlertDays());
            }
            stored.getAwsKmsBuilder().clearSecretAccessKey(); // input only
            if (stored.getLocalKey().getEnabled() && stored.getLocalKey().getKeyId().isEmpty()) {
                stored.getLocalKeyBuilder().setKeyId("default");
            }
            stored.setProvider(stored.getAwsKms().getEnabled() ? EncryptionAtRestProvider.AWS
                    : stored.getLocalKey().getEnabled() ? EncryptionAtRestProvider.LOCAL : EncryptionAtRestProvider.NONE);
            boolean wasOn = previous != null && previous.getProvider() != EncryptionAtRestProvider.NONE;
            boolean on = stored.getProvider() != EncryptionAtRestProvider.NONE;
            if (wasOn && !on && refusedWhileClustersEncrypted(sent.getProjectId(), response)) {
                return;
            }
            long generation = previous == null ? 0 : previous.getGeneration();
            stored.setGeneration(on && !wasOn ? generation + 1 : generation);
            stored.setValid(on);
            stored.setCmkLastChangedTime(Timestamp.newBuilder().setSeconds(NOW_SECONDS));
            stored.setEtag(nextEtag(previous == null ? null : previous.getEtag()));
            projects.put(stored.getProjectId(), stored.build());
            writes.incrementAndGet();
            if (answerLost(response)) {
                return;
            }
            response.onNext(stored.build());
            response.onCompleted();
        }

        @Override
        public void disableProjectEncryption(DisableProjectEncryptionRequest request,
                StreamObserver<ProjectEncryption> response) {
            if (failed(response, true)) {
                return;
            }
            ProjectEncryption stored = projects.get(request.getProjectId());
            if (stored == null) {
                response.onError(Status.NOT_FOUND.asRuntimeException());
                return;
            }
            if (staleEtag(request.getEtag(), stored.getEtag(), response)
                    || refusedWhileClustersEncrypted(request.getProjectId(), response)) {
                return;
            }
            ProjectEncryption.Builder disabled = stored.toBuilder().setProvider(EncryptionAtRestProvider.NONE).setValid(false)
                    .setEtag(nextEtag(stored.getEtag()));
            disabled.getAwsKmsBuilder().setEnabled(false);
            disabled.getLocalKeyBuilder().setEnabled(false);
            projects.put(request.getProjectId(), disabled.build());
            writes.incrementAndGet();
            response.onNext(disabled.build());
            response.onCompleted();
        }
    }

    /** FAILED_PRECONDITION CANNOT_DISABLE_ENCRYPTION_AT_REST naming the project's encrypted clusters, as the service. */
    private boolean refusedWhileClustersEncrypted(String projectId, StreamObserver<?> response) {
        String names = clusters.values().stream().filter(c -> c.getProjectId().equals(projectId))
                .filter(c -> c.getState() == ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_ENABLED)
                .map(ClusterEncryption::getClusterName).sorted().collect(java.util.stream.Collectors.joining(","));
        if (names.isEmpty()) {
            return false;
        }
        response.onError(StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.FAILED_PRECONDITION.getNumber())
                .setMessage("cannot disable encryption at rest for project " + projectId
                        + " while these clusters are encrypted: " + names + "; set their provider to NONE first")
                .addDetails(Any.pack(reason("CANNOT_DISABLE_ENCRYPTION_AT_REST", Map.of("clusters", names)))).build()));
        return true;
    }

    /** ABORTED when the caller sent an etag that is not the stored one. */
    private static boolean staleEtag(String sent, String stored, StreamObserver<?> response) {
        if (sent.isEmpty() || sent.equals(stored)) {
            return false;
        }
        response.onError(Status.ABORTED.withDescription("changed since it was read (etag mismatch): read it again and retry")
                .asRuntimeException());
        return true;
    }

    private static String nextEtag(String previous) {
        return "v" + (previous == null || previous.isEmpty() ? 1 : Long.parseLong(previous.substring(1)) + 1);
    }

    private final class Clusters extends ClusterEncryptionServiceGrpc.ClusterEncryptionServiceImplBase {
        @Override
        public void getClusterEncryption(GetClusterEncryptionRequest request, StreamObserver<ClusterEncryption> response) {
            if (failed(response, false)) {
                return;
            }
            response.onNext(clusters.getOrDefault(request.getProjectId() + "/" + request.getClusterName(),
                    ClusterEncryption.newBuilder().setProjectId(request.getProjectId())
                            .setClusterName(request.getClusterName())
                            .setEncryptionAtRestProvider(EncryptionAtRestProvider.NONE).setRotationPeriodDays(90)
                            .setState(ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_DISABLED).setEtag("v0").build()));
            response.onCompleted();
            afterClusterRead.run();
        }

        @Override
        public void setClusterEncryption(SetClusterEncryptionRequest request, StreamObserver<ClusterEncryption> response) {
            if (failed(response, true)) {
                return;
            }
            if (badDays(request.getRotationPeriodDays(), "rotation_period_days", response)) {
                return;
            }
            String key = request.getProjectId() + "/" + request.getClusterName();
            ClusterEncryption previous = clusters.get(key);
            if (staleEtag(request.getEtag(), previous == null ? "v0" : previous.getEtag(), response)) {
                return;
            }
            boolean wasEnabled = previous != null
                    && previous.getState() == ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_ENABLED;
            boolean enabled = request.getEncryptionAtRestProvider() != EncryptionAtRestProvider.NONE;
            int period = request.getRotationPeriodDays() != 0 ? request.getRotationPeriodDays()
                    : previous == null ? 90 : previous.getRotationPeriodDays();
            long generation = previous == null ? 0 : previous.getGeneration();
            ClusterEncryption.Builder stored = ClusterEncryption.newBuilder().setProjectId(request.getProjectId())
                    .setClusterName(request.getClusterName())
                    .setEncryptionAtRestProvider(request.getEncryptionAtRestProvider())
                    .setState(enabled ? ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_ENABLED
                            : ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_DISABLED)
                    .setMasterKeyVersion(previous != null ? Math.max(previous.getMasterKeyVersion(), enabled ? 1 : 0)
                            : enabled ? 1 : 0)
                    .setRotationPeriodDays(period)
                    .setGeneration(enabled && !wasEnabled ? generation + 1 : generation)
                    .setEtag(nextEtag(previous == null ? null : previous.getEtag()));
            if (previous != null && previous.hasLastRotationTime()) {
                stored.setLastRotationTime(previous.getLastRotationTime());
            }
            if (enabled) {
                long activated = previous != null && previous.hasLastRotationTime()
                        ? previous.getLastRotationTime().getSeconds() : NOW_SECONDS;
                stored.setNextRotationTime(Timestamp.newBuilder().setSeconds(activated + period * 86_400L));
            }
            clusters.put(key, stored.build());
            writes.incrementAndGet();
            if (answerLost(response)) {
                return;
            }
            response.onNext(stored.build());
            response.onCompleted();
        }

        @Override
        public void listClusterKeys(ListClusterKeysRequest request, StreamObserver<ListClusterKeysResponse> response) {
            if (failed(response, false)) {
                return;
            }
            // As the service: a cluster without keys (or never configured) lists none rather than NOT_FOUND.
            response.onNext(ListClusterKeysResponse.newBuilder().addAllDatabaseKeys(databaseKeys.getOrDefault(
                    request.getProjectId() + "/" + request.getClusterName(), List.of())).build());
            response.onCompleted();
            afterKeysRead.run();
        }

        @Override
        public void rotateDatabaseKey(RotateDatabaseKeyRequest request, StreamObserver<DatabaseKeyInfo> response) {
            if (failed(response, true)) {
                return;
            }
            if (unreachableRotations.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                response.onError(Status.UNAVAILABLE.withDescription("connection refused").asRuntimeException());
                return;
            }
            rotateRequests.add(request);
            ClusterEncryption cluster = clusters.get(request.getProjectId() + "/" + request.getClusterName());
            if (cluster == null || cluster.getState() != ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_ENABLED) {
                refuse(response, "cluster " + request.getProjectId() + "/" + request.getClusterName()
                        + " is not encrypted", "ENCRYPTION_AT_REST_NOT_ENABLED");
                return;
            }
            DatabaseKeyInfo made = newDatabaseKeyVersion(request.getProjectId(), request.getClusterName(),
                    request.getDatabaseName(), request.hasExpectedVersion() ? request.getExpectedVersion() : null);
            if (made == null) {
                refuse(response, "the key of database " + request.getDatabaseName() + " is no longer at version "
                        + request.getExpectedVersion(), "DATABASE_KEY_VERSION_CHANGED");
                return;
            }
            if (loseNextRotationAnswer) {
                loseNextRotationAnswer = false;
                response.onError(Status.UNAVAILABLE.withDescription("connection reset").asRuntimeException());
                return;
            }
            response.onNext(made);
            response.onCompleted();
        }
    }

    /** FAILED_PRECONDITION with an ErrorInfo {@code reason}, as the service refuses a call. */
    private static void refuse(StreamObserver<?> response, String message, String reason) {
        response.onError(StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.FAILED_PRECONDITION.getNumber()).setMessage(message)
                .addDetails(Any.pack(reason(reason, Map.of()))).build()));
    }

    /** Pages of at most {@link #PAGE_SIZE} alerts, whatever size the provider asks for, so paging is exercised. */
    private final class Alerts extends AlertServiceGrpc.AlertServiceImplBase {
        @Override
        public void listAlerts(ListAlertsRequest request, StreamObserver<ListAlertsResponse> response) {
            if (failed(response, false)) {
                return;
            }
            alertRequests.add(request);
            List<Alert> matching = alerts.getOrDefault(request.getProjectId(), List.of()).stream()
                    .filter(alert -> !request.getOpenOnly() || alert.getOpen()).toList();
            int from = request.getPageToken().isEmpty() ? 0 : Integer.parseInt(request.getPageToken());
            int to = Math.min(matching.size(), from + PAGE_SIZE);
            response.onNext(ListAlertsResponse.newBuilder().addAllAlerts(matching.subList(from, to))
                    .setNextPageToken(to < matching.size() ? Integer.toString(to) : "").build());
            response.onCompleted();
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.shutdownNow();
    }
}
