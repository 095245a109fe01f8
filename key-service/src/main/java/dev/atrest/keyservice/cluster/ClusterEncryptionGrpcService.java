package dev.atrest.keyservice.cluster;

import dev.atrest.keyservice.datakey.DatabaseKeyRotation;
import dev.atrest.keyservice.grpc.Providers;
import dev.atrest.keyservice.grpc.UnaryCalls;
import dev.atrest.keyservice.grpc.UnparsableRequests;
import dev.atrest.keyservice.rotation.Rotations;
import dev.atrest.v1.ClusterEncryption;
import dev.atrest.v1.ClusterEncryptionServiceGrpc;
import dev.atrest.v1.DatabaseKeyInfo;
import dev.atrest.v1.GetClusterEncryptionRequest;
import dev.atrest.v1.GetRotationStatusRequest;
import dev.atrest.v1.ListClusterEncryptionsRequest;
import dev.atrest.v1.ListClusterEncryptionsResponse;
import dev.atrest.v1.ListClusterKeysRequest;
import dev.atrest.v1.ListClusterKeysResponse;
import dev.atrest.v1.RotateDatabaseKeyRequest;
import dev.atrest.v1.RotateMasterKeyRequest;
import dev.atrest.v1.RotationStatus;
import dev.atrest.v1.SetClusterEncryptionRequest;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import java.util.OptionalInt;

/** atrest.v1.ClusterEncryptionService: transport only. */
@GrpcService
@Blocking
public class ClusterEncryptionGrpcService implements BindableService, ClusterEncryptionServiceGrpc.AsyncService {
    private final Clusters clusters;
    private final Rotations rotations;
    private final DatabaseKeyRotation databaseKeyRotation;

    public ClusterEncryptionGrpcService(Clusters clusters, Rotations rotations,
                                        DatabaseKeyRotation databaseKeyRotation) {
        this.clusters = clusters;
        this.rotations = rotations;
        this.databaseKeyRotation = databaseKeyRotation;
    }

    /**
     * Bound by hand rather than through the generated ImplBase (whose bindService is final), so that requests
     * that are not valid protobuf are refused as INVALID_ARGUMENT (see UnparsableRequests).
     */
    @Override
    public ServerServiceDefinition bindService() {
        return UnparsableRequests.refused(ClusterEncryptionServiceGrpc.bindService(this));
    }

    @Override
    public void getClusterEncryption(GetClusterEncryptionRequest request, StreamObserver<ClusterEncryption> response) {
        UnaryCalls.respond(response, () ->
                ClusterMessages.toMessage(clusters.get(request.getProjectId(), request.getClusterName())));
    }

    @Override
    public void listClusterEncryptions(ListClusterEncryptionsRequest request,
                                       StreamObserver<ListClusterEncryptionsResponse> response) {
        UnaryCalls.respond(response, () -> {
            ClusterPage page = clusters.list(request.getProjectId(), request.getPageSize(), request.getPageToken());
            ListClusterEncryptionsResponse.Builder message = ListClusterEncryptionsResponse.newBuilder()
                    .setNextPageToken(page.nextPageToken());
            page.clusters().forEach(cluster -> message.addClusterEncryptions(ClusterMessages.toMessage(cluster)));
            return message.build();
        });
    }

    @Override
    public void setClusterEncryption(SetClusterEncryptionRequest request, StreamObserver<ClusterEncryption> response) {
        UnaryCalls.respond(response, () -> ClusterMessages.toMessage(clusters.set(request.getProjectId(),
                request.getClusterName(), Providers.fromMessage(request.getEncryptionAtRestProvider()),
                request.getEtag(), request.getRotationPeriodDays())));
    }

    @Override
    public void listClusterKeys(ListClusterKeysRequest request, StreamObserver<ListClusterKeysResponse> response) {
        UnaryCalls.respond(response, () ->
                ClusterMessages.toMessage(clusters.keys(request.getProjectId(), request.getClusterName())));
    }

    @Override
    public void rotateMasterKey(RotateMasterKeyRequest request, StreamObserver<RotationStatus> response) {
        UnaryCalls.respond(response, () ->
                ClusterMessages.toMessage(rotations.rotateNow(request.getProjectId(), request.getClusterName())));
    }

    @Override
    public void rotateDatabaseKey(RotateDatabaseKeyRequest request, StreamObserver<DatabaseKeyInfo> response) {
        OptionalInt expectedVersion = request.hasExpectedVersion() ? OptionalInt.of(request.getExpectedVersion())
                : OptionalInt.empty();
        UnaryCalls.respond(response, () -> ClusterMessages.toMessage(databaseKeyRotation.rotate(
                request.getProjectId(), request.getClusterName(), request.getDatabaseName(), expectedVersion)));
    }

    @Override
    public void getRotationStatus(GetRotationStatusRequest request, StreamObserver<RotationStatus> response) {
        UnaryCalls.respond(response, () ->
                ClusterMessages.toMessage(rotations.status(request.getProjectId(), request.getClusterName())));
    }
}
