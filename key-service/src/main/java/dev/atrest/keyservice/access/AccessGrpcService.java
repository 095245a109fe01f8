package dev.atrest.keyservice.access;

import dev.atrest.keyservice.domain.AccessToken;
import dev.atrest.keyservice.domain.Caller;
import dev.atrest.keyservice.domain.NewAccessToken;
import dev.atrest.keyservice.grpc.CallerContext;
import dev.atrest.keyservice.grpc.Roles;
import dev.atrest.keyservice.grpc.UnaryCalls;
import dev.atrest.keyservice.grpc.UnparsableRequests;
import dev.atrest.v1.AccessServiceGrpc;
import dev.atrest.v1.CreateAccessTokenRequest;
import dev.atrest.v1.CreateAccessTokenResponse;
import dev.atrest.v1.ListAccessTokensRequest;
import dev.atrest.v1.ListAccessTokensResponse;
import dev.atrest.v1.RevokeAccessTokenRequest;
import dev.atrest.v1.WhoAmIRequest;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

/** atrest.v1.AccessService: transport only. Who may call it is AccessPolicy's business. */
@GrpcService
@Blocking
public class AccessGrpcService implements BindableService, AccessServiceGrpc.AsyncService {
    private final AccessTokens tokens;

    public AccessGrpcService(AccessTokens tokens) {
        this.tokens = tokens;
    }

    /**
     * Bound by hand rather than through the generated ImplBase (whose bindService is final), so that requests
     * that are not valid protobuf are refused as INVALID_ARGUMENT (see UnparsableRequests).
     */
    @Override
    public ServerServiceDefinition bindService() {
        return UnparsableRequests.refused(AccessServiceGrpc.bindService(this));
    }

    @Override
    public void createAccessToken(CreateAccessTokenRequest request, StreamObserver<CreateAccessTokenResponse> response) {
        UnaryCalls.respond(response, () -> AccessMessages.toMessage(tokens.create(NewAccessToken.validate(
                request.getName(), Roles.toDomain(request.getRole()), request.getProjectIdsList(),
                request.getAllProjects(), request.getTtlDays()), CallerContext.current().principal())));
    }

    @Override
    public void revokeAccessToken(RevokeAccessTokenRequest request, StreamObserver<dev.atrest.v1.AccessToken> response) {
        UnaryCalls.respond(response, () -> AccessMessages.toMessage(tokens.revoke(request.getTokenId())));
    }

    @Override
    public void listAccessTokens(ListAccessTokensRequest request, StreamObserver<ListAccessTokensResponse> response) {
        UnaryCalls.respond(response, () -> AccessMessages.toMessage(tokens.list(request.getIncludeInactive())));
    }

    @Override
    public void whoAmI(WhoAmIRequest request, StreamObserver<dev.atrest.v1.Caller> response) {
        UnaryCalls.respond(response, () -> AccessMessages.toMessage(CallerContext.current()));
    }
}
