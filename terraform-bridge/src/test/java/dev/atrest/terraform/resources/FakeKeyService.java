package dev.atrest.terraform.resources;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import dev.atrest.terraform.provider.AtrestClient;
import dev.atrest.v1.ClusterEncryption;
import dev.atrest.v1.ClusterEncryptionServiceGrpc;
import dev.atrest.v1.ClusterEncryptionState;
import dev.atrest.v1.DisableProjectEncryptionRequest;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetClusterEncryptionRequest;
import dev.atrest.v1.GetProjectEncryptionRequest;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory key service over an in-process channel, following the atrest.v1 contract's rules closely
 * enough for the provider's lifecycle: secrets are never echoed, a disabled project keeps its row,
 * disabling is refused while clusters are encrypted, and the next call can be made to fail.
 */
final class FakeKeyService implements AutoCloseable {

    final Map<String, ProjectEncryption> projects = new ConcurrentHashMap<>();
    final Map<String, ClusterEncryption> clusters = new ConcurrentHashMap<>();
    private volatile StatusRuntimeException nextError;
    private final Server server;
    private final ManagedChannel channel;
    final AtrestClient client;

    FakeKeyService() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new Projects()).addService(new Clusters()).build().start();
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
            ProjectEncryption.Builder stored = request.getProjectEncryption().toBuilder();
            stored.getAwsKmsBuilder().clearSecretAccessKey(); // input only
            if (stored.getLocalKey().getEnabled() && stored.getLocalKey().getKeyId().isEmpty()) {
                stored.getLocalKeyBuilder().setKeyId("default");
            }
            stored.setProvider(stored.getAwsKms().getEnabled() ? EncryptionAtRestProvider.AWS
                    : stored.getLocalKey().getEnabled() ? EncryptionAtRestProvider.LOCAL : EncryptionAtRestProvider.NONE);
            stored.setValid(stored.getProvider() != EncryptionAtRestProvider.NONE);
            stored.setCmkLastChangedTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_790_000_000));
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
                            .setEncryptionAtRestProvider(EncryptionAtRestProvider.NONE)
                            .setState(ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_DISABLED).build()));
            response.onCompleted();
        }

        @Override
        public void setClusterEncryption(SetClusterEncryptionRequest request, StreamObserver<ClusterEncryption> response) {
            if (failed(response)) {
                return;
            }
            boolean enabled = request.getEncryptionAtRestProvider() != EncryptionAtRestProvider.NONE;
            ClusterEncryption stored = ClusterEncryption.newBuilder().setProjectId(request.getProjectId())
                    .setClusterName(request.getClusterName())
                    .setEncryptionAtRestProvider(request.getEncryptionAtRestProvider())
                    .setState(enabled ? ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_ENABLED
                            : ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_DISABLED)
                    .setMasterKeyVersion(enabled ? 1 : 0).build();
            clusters.put(request.getProjectId() + "/" + request.getClusterName(), stored);
            response.onNext(stored);
            response.onCompleted();
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.shutdownNow();
    }
}
