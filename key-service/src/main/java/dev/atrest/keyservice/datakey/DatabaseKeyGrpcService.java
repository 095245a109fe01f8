package dev.atrest.keyservice.datakey;

import dev.atrest.keyservice.grpc.UnaryCalls;
import dev.atrest.keyservice.grpc.UnparsableRequests;
import dev.atrest.v1.DatabaseKey;
import dev.atrest.v1.DatabaseKeyServiceGrpc;
import dev.atrest.v1.GetDatabaseKeyRequest;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

/**
 * atrest.v1.DatabaseKeyService: transport only. The response carries a plaintext key, so neither it
 * nor the request is ever logged; the service's own copies are zeroed once the response is built.
 */
@GrpcService
@Blocking
public class DatabaseKeyGrpcService implements BindableService, DatabaseKeyServiceGrpc.AsyncService {
    private final DatabaseKeys databaseKeys;

    public DatabaseKeyGrpcService(DatabaseKeys databaseKeys) {
        this.databaseKeys = databaseKeys;
    }

    /**
     * Bound by hand rather than through the generated ImplBase (whose bindService is final), so that requests
     * that are not valid protobuf are refused as INVALID_ARGUMENT (see UnparsableRequests).
     */
    @Override
    public ServerServiceDefinition bindService() {
        return UnparsableRequests.refused(DatabaseKeyServiceGrpc.bindService(this));
    }

    @Override
    public void getDatabaseKey(GetDatabaseKeyRequest request, StreamObserver<DatabaseKey> response) {
        UnaryCalls.respond(response, () -> {
            try (ReleasedDatabaseKey key = databaseKeys.release(request.getProjectId(), request.getClusterName(),
                    request.getDatabaseName(), request.getVersion())) {
                return DatabaseKeyMessages.toMessage(request, key);
            }
        });
    }
}
