package dev.atrest.keyservice.audit;

import dev.atrest.keyservice.grpc.UnaryCalls;
import dev.atrest.keyservice.grpc.UnparsableRequests;
import dev.atrest.v1.AuditServiceGrpc;
import dev.atrest.v1.ListAuditRecordsRequest;
import dev.atrest.v1.ListAuditRecordsResponse;
import dev.atrest.v1.VerifyAuditLogRequest;
import dev.atrest.v1.VerifyAuditLogResponse;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

/** atrest.v1.AuditService: transport only. */
@GrpcService
@Blocking
public class AuditGrpcService implements BindableService, AuditServiceGrpc.AsyncService {
    private final AuditTrail trail;

    public AuditGrpcService(AuditTrail trail) {
        this.trail = trail;
    }

    /**
     * Bound by hand rather than through the generated ImplBase (whose bindService is final), so that requests
     * that are not valid protobuf are refused as INVALID_ARGUMENT (see UnparsableRequests).
     */
    @Override
    public ServerServiceDefinition bindService() {
        return UnparsableRequests.refused(AuditServiceGrpc.bindService(this));
    }

    @Override
    public void listAuditRecords(ListAuditRecordsRequest request, StreamObserver<ListAuditRecordsResponse> response) {
        UnaryCalls.respond(response, () -> AuditMessages.toMessage(
                trail.list(request.getAfterSequence(), request.getProjectId(), request.getPageSize())));
    }

    @Override
    public void verifyAuditLog(VerifyAuditLogRequest request, StreamObserver<VerifyAuditLogResponse> response) {
        UnaryCalls.respond(response, () -> AuditMessages.toMessage(trail.verify()));
    }
}
