package dev.atrest.keyservice.snapshot;

import dev.atrest.keyservice.grpc.UnaryCalls;
import dev.atrest.keyservice.grpc.UnparsableRequests;
import dev.atrest.v1.GetSnapshotRequest;
import dev.atrest.v1.ListSnapshotsRequest;
import dev.atrest.v1.ListSnapshotsResponse;
import dev.atrest.v1.PrepareSnapshotRestoreRequest;
import dev.atrest.v1.RegisterSnapshotRequest;
import dev.atrest.v1.ReleaseSnapshotRequest;
import dev.atrest.v1.ReleaseSnapshotResponse;
import dev.atrest.v1.Snapshot;
import dev.atrest.v1.SnapshotServiceGrpc;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

/** atrest.v1.SnapshotService: transport only. */
@GrpcService
@Blocking
public class SnapshotGrpcService implements BindableService, SnapshotServiceGrpc.AsyncService {
    private final Snapshots snapshots;
    private final SnapshotRestores restores;

    public SnapshotGrpcService(Snapshots snapshots, SnapshotRestores restores) {
        this.snapshots = snapshots;
        this.restores = restores;
    }

    /**
     * Bound by hand rather than through the generated ImplBase (whose bindService is final), so that requests
     * that are not valid protobuf are refused as INVALID_ARGUMENT (see UnparsableRequests).
     */
    @Override
    public ServerServiceDefinition bindService() {
        return UnparsableRequests.refused(SnapshotServiceGrpc.bindService(this));
    }

    @Override
    public void registerSnapshot(RegisterSnapshotRequest request, StreamObserver<Snapshot> response) {
        UnaryCalls.respond(response, () -> SnapshotMessages.toMessage(snapshots.register(
                request.getProjectId(), request.getClusterName(), request.getSnapshotId())));
    }

    @Override
    public void getSnapshot(GetSnapshotRequest request, StreamObserver<Snapshot> response) {
        UnaryCalls.respond(response, () -> SnapshotMessages.toMessage(snapshots.get(
                request.getProjectId(), request.getClusterName(), request.getSnapshotId())));
    }

    @Override
    public void listSnapshots(ListSnapshotsRequest request, StreamObserver<ListSnapshotsResponse> response) {
        UnaryCalls.respond(response, () -> SnapshotMessages.toMessage(snapshots.list(
                request.getProjectId(), request.getClusterName(), request.getPageSize(), request.getPageToken())));
    }

    @Override
    public void releaseSnapshot(ReleaseSnapshotRequest request, StreamObserver<ReleaseSnapshotResponse> response) {
        UnaryCalls.respond(response, () -> SnapshotMessages.toMessage(snapshots.release(
                request.getProjectId(), request.getClusterName(), request.getSnapshotId())));
    }

    @Override
    public void prepareSnapshotRestore(PrepareSnapshotRestoreRequest request, StreamObserver<Snapshot> response) {
        UnaryCalls.respond(response, () -> SnapshotMessages.toMessage(restores.prepare(
                request.getProjectId(), request.getClusterName(), request.getSnapshotId())));
    }
}
