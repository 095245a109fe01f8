package dev.atrest.keyservice.grpc;

import com.google.protobuf.Message;
import dev.atrest.keyservice.audit.AuditEvent;
import dev.atrest.keyservice.audit.AuditLog;
import dev.atrest.keyservice.bootstrap.AtrestConfig;
import dev.atrest.keyservice.domain.AccessPolicy;
import dev.atrest.keyservice.domain.Caller;
import dev.atrest.keyservice.domain.PermissionDeniedException;
import dev.atrest.keyservice.domain.Role;
import dev.atrest.keyservice.domain.InvalidArgumentException;
import dev.atrest.keyservice.domain.UnauthenticatedException;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.SSLSession;

/**
 * Authentication and authorisation of every RPC, before anything else of the application sees it: who
 * is calling (bearer token and/or client certificate, see {@link CallAuthenticator}), and whether
 * {@link AccessPolicy} lets that caller make this call on the project the request names. Decided when
 * the request message arrives, since the project is in it; a refused call is closed there, audited,
 * and never reaches the service. An admitted call carries its {@link Caller} in {@link CallerContext}.
 */
@GlobalInterceptor
@ApplicationScoped
public class AccessInterceptor implements ServerInterceptor, Prioritized {
    /**
     * Quarkus calls interceptors of higher priority first. This is above every application interceptor
     * (the audit interceptor must use a lower one, to see the caller) and below Quarkus' own (2147483577
     * and up: request context, moving @Blocking services to worker threads), so that a token lookup runs on
     * a worker thread, not on the event loop.
     */
    public static final int PRIORITY = 2_000_000_000;
    static final Caller DEVELOPER = new Caller("development", Set.of(Role.ADMIN, Role.KEY_CONSUMER), Set.of(), true);

    private final AccessPolicy policy = AccessPolicy.atrestV1();
    private final CallAuthentication authenticator;
    private final Consumer<AuditEvent> audit;
    private final boolean developmentMode;

    @Inject
    AccessInterceptor(CallAuthenticator authenticator, AuditLog audit, AtrestConfig config) {
        // A refusal stands whether or not the audit log can take it: a full queue is logged loudly, not thrown.
        this(authenticator, audit::recordFact, config.auth().developmentMode());
    }

    AccessInterceptor(CallAuthentication authenticator, Consumer<AuditEvent> audit, boolean developmentMode) {
        this.authenticator = authenticator;
        this.audit = audit;
        this.developmentMode = developmentMode;
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (policy.isPublic(method)) {
            return next.startCall(call, headers);
        }
        SSLSession tls = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        // The service's handler is not started until the request is admitted, so ask for the request here.
        call.request(1);
        return new AdmittingListener<>(call, headers, next, request -> admit(method, headers, tls, request));
    }

    private Caller admit(String method, Metadata headers, SSLSession tls, Object request) {
        Message message = request instanceof Message m ? m : null;
        Caller caller = null;
        try {
            caller = developmentMode ? DEVELOPER : authenticator.authenticate(headers, tls);
            // Not valid protobuf (UnparsableRequests). Checked after authentication: an anonymous caller is refused
            // (and audited) as UNAUTHENTICATED whatever bytes it sent.
            if (request == null) {
                throw InvalidArgumentException.of("request",
                        "is not a valid protobuf encoding of the method's request message");
            }
            policy.authorize(method, caller, message == null ? Optional.empty() : RequestResources.projectId(message));
            return caller;
        } catch (UnauthenticatedException | PermissionDeniedException refusal) {
            String code = ErrorMapper.toStatus(refusal).getStatus().getCode().name();
            audit.accept(new AuditEvent(caller == null ? Caller.ANONYMOUS : caller.principal(), method,
                    message == null ? "" : RequestResources.describe(message), code, refusal.getMessage()));
            throw refusal;
        }
    }
}
