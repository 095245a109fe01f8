package dev.atrest.keyservice.health;

import dev.atrest.keyservice.grpc.UnaryCalls;
import dev.atrest.keyservice.grpc.UnparsableRequests;
import dev.atrest.v1.AlertServiceGrpc;
import dev.atrest.v1.ListAlertsRequest;
import dev.atrest.v1.ListAlertsResponse;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

/** atrest.v1.AlertService: transport only. */
@GrpcService
@Blocking
public class AlertGrpcService implements BindableService, AlertServiceGrpc.AsyncService {
    private final Alerts alerts;

    public AlertGrpcService(Alerts alerts) {
        this.alerts = alerts;
    }

    /**
     * Bound by hand rather than through the generated ImplBase (whose bindService is final), so that requests
     * that are not valid protobuf are refused as INVALID_ARGUMENT (see UnparsableRequests).
     */
    @Override
    public ServerServiceDefinition bindService() {
        return UnparsableRequests.refused(AlertServiceGrpc.bindService(this));
    }

    @Override
    public void listAlerts(ListAlertsRequest request, StreamObserver<ListAlertsResponse> response) {
        UnaryCalls.respond(response, () -> AlertMessages.toMessage(alerts.list(request.getProjectId(),
                request.getOpenOnly(), request.getPageSize(), request.getPageToken())));
    }
}
