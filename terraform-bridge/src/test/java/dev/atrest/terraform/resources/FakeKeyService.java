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
import dev.atrest.v1.DisableProjectEncryptionRequest;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetClusterEncryptionRequest;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ListAlertsRequest;
import dev.atrest.v1.ListAlertsResponse;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.ProjectEncryptionServiceGrpc;
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
 * disabling is refused while clusters are encrypted, day counts of 0 keep the stored value, and the next call
 * can be made to fail.
 */
final class FakeKeyService implements AutoCloseable {

    final Map<String, ProjectEncryption> projects = new ConcurrentHashMap<>();
    final Map<String, ClusterEncryption> clusters = new ConcurrentHashMap<>();
    final Map<String, List<Alert>> alerts = new ConcurrentHashMap<>();
    final List<ListAlertsRequest> alertRequests = new ArrayList<>();
    /** When a master key created now becomes due: enable and rotation count from here. */
    static final long NOW_SECONDS = 1_790_000_000;
    static final int PAGE_SIZE = 2;
    private volatile StatusRuntimeException nextError;
    private final Server server;
    private final ManagedChannel channel;
    final AtrestClient client;

    FakeKeyService() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new Projects()).addService(new Clusters())
                .addService(new Alerts()).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        client = AtrestClient.over(channel);
    }

    /** The next call fails with this status and these google.rpc details. */
    void failNext(Code code, String message, com.google.protobuf.Message... details) {
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

    private boolean failed(StreamObserver<?> response) {
        StatusRuntimeException error = nextError;
        nextError = null;
        if (error != null) {
            response.onError(error);
            return true;
        }
        return false;
    }

    private final class Projects extends ProjectEncryptionServiceGrpc.ProjectEncryptionServiceImplBase {
        @Override
        public void getProjectEncryption(GetProjectEncryptionRequest request, StreamObserver<ProjectEncryption> response) {
            if (failed(response)) {
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
            if (failed(response)) {
                return;
            }
            ProjectEncryption sent = request.getProjectEncryption();
            if (badDays(sent.getCmkRotationAlertDays(), "project_encryption.cmk_rotation_alert_days", response)) {
                return;
            }
            ProjectEncryption.Builder stored = sent.toBuilder();
            if (sent.getCmkRotationAlertDays() == 0) {
                ProjectEncryption previous = projects.get(sent.getProjectId());
                stored.setCmkRotationAlertDays(previous == null ? 365 : previous.getCmkRotationAlertDays());
            }
            stored.getAwsKmsBuilder().clearSecretAccessKey(); // input only
            if (stored.getLocalKey().getEnabled() && stored.getLocalKey().getKeyId().isEmpty()) {
                stored.getLocalKeyBuilder().setKeyId("default");
            }
            stored.setProvider(stored.getAwsKms().getEnabled() ? EncryptionAtRestProvider.AWS
                    : stored.getLocalKey().getEnabled() ? EncryptionAtRestProvider.LOCAL : EncryptionAtRestProvider.NONE);
            stored.setValid(stored.getProvider() != EncryptionAtRestProvider.NONE);
            stored.setCmkLastChangedTime(Timestamp.newBuilder().setSeconds(NOW_SECONDS));
            projects.put(stored.getProjectId(), stored.build());
            response.onNext(stored.build());
            response.onCompleted();
        }

        @Override
        public void disableProjectEncryption(DisableProjectEncryptionRequest request,
                StreamObserver<ProjectEncryption> response) {
            if (failed(response)) {
                return;
            }
            ProjectEncryption stored = projects.get(request.getProjectId());
            if (stored == null) {
                response.onError(Status.NOT_FOUND.asRuntimeException());
                return;
            }
            ProjectEncryption.Builder disabled = stored.toBuilder().setProvider(EncryptionAtRestProvider.NONE).setValid(false);
            disabled.getAwsKmsBuilder().setEnabled(false);
            disabled.getLocalKeyBuilder().setEnabled(false);
            projects.put(request.getProjectId(), disabled.build());
            response.onNext(disabled.build());
            response.onCompleted();
        }
    }

    private final class Clusters extends ClusterEncryptionServiceGrpc.ClusterEncryptionServiceImplBase {
        @Override
        public void getClusterEncryption(GetClusterEncryptionRequest request, StreamObserver<ClusterEncryption> response) {
            if (failed(response)) {
                return;
            }
            response.onNext(clusters.getOrDefault(request.getProjectId() + "/" + request.getClusterName(),
                    ClusterEncryption.newBuilder().setProjectId(request.getProjectId())
                            .setClusterName(request.getClusterName())
                            .setEncryptionAtRestProvider(EncryptionAtRestProvider.NONE).setRotationPeriodDays(90)
                            .setState(ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_DISABLED).build()));
            response.onCompleted();
        }

        @Override
        public void setClusterEncryption(SetClusterEncryptionRequest request, StreamObserver<ClusterEncryption> response) {
            if (failed(response)) {
                return;
            }
            if (badDays(request.getRotationPeriodDays(), "rotation_period_days", response)) {
                return;
            }
            String key = request.getProjectId() + "/" + request.getClusterName();
            ClusterEncryption previous = clusters.get(key);
            boolean enabled = request.getEncryptionAtRestProvider() != EncryptionAtRestProvider.NONE;
            int period = request.getRotationPeriodDays() != 0 ? request.getRotationPeriodDays()
                    : previous == null ? 90 : previous.getRotationPeriodDays();
            ClusterEncryption.Builder stored = ClusterEncryption.newBuilder().setProjectId(request.getProjectId())
                    .setClusterName(request.getClusterName())
                    .setEncryptionAtRestProvider(request.getEncryptionAtRestProvider())
                    .setState(enabled ? ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_ENABLED
                            : ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_DISABLED)
                    .setMasterKeyVersion(previous != null ? Math.max(previous.getMasterKeyVersion(), enabled ? 1 : 0)
                            : enabled ? 1 : 0)
                    .setRotationPeriodDays(period);
            if (previous != null && previous.hasLastRotationTime()) {
                stored.setLastRotationTime(previous.getLastRotationTime());
            }
            if (enabled) {
                long activated = previous != null && previous.hasLastRotationTime()
                        ? previous.getLastRotationTime().getSeconds() : NOW_SECONDS;
                stored.setNextRotationTime(Timestamp.newBuilder().setSeconds(activated + period * 86_400L));
            }
            clusters.put(key, stored.build());
            response.onNext(stored.build());
            response.onCompleted();
        }
    }

    /** Pages of at most {@link #PAGE_SIZE} alerts, whatever size the provider asks for, so paging is exercised. */
    private final class Alerts extends AlertServiceGrpc.AlertServiceImplBase {
        @Override
        public void listAlerts(ListAlertsRequest request, StreamObserver<ListAlertsResponse> response) {
            if (failed(response)) {
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
