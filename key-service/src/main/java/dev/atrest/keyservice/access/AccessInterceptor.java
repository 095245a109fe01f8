package dev.atrest.keyservice.access;

import com.google.protobuf.Message;
import dev.atrest.keyservice.audit.AuditEvent;
import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.domain.AccessPolicy;
import dev.atrest.keyservice.domain.Caller;
import dev.atrest.keyservice.domain.InvalidArgumentException;
import dev.atrest.keyservice.domain.PermissionDeniedException;
import dev.atrest.keyservice.domain.Role;
import dev.atrest.keyservice.domain.UnauthenticatedException;
import dev.atrest.keyservice.grpc.ErrorMapper;
import dev.atrest.keyservice.grpc.MethodDeclaration;
import dev.atrest.keyservice.grpc.MethodDeclarations;
import dev.atrest.keyservice.grpc.ShutdownDrain;
import dev.atrest.keyservice.grpc.ShuttingDownException;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.SSLSession;

/**
 * Authentication and authorisation of every RPC, before anything else of the application sees it: who
 * is calling (bearer token and/or client certificate, see {@link CallAuthenticator}), and whether
 * {@link AccessPolicy} lets that caller make this call, by the rule the RPC declares in the contract
 * ({@link MethodDeclarations}), on the project the request names. Decided when
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

    private final CallAuthentication authenticator;
    private final RefusalGuard refusals;
    private final ShutdownDrain drain;
    private final boolean developmentMode;

    @Inject
    AccessInterceptor(CallAuthenticator authenticator, RefusalGuard refusals, ShutdownDrain drain, AtrestConfig config) {
        this.authenticator = authenticator;
        this.refusals = refusals;
        this.drain = drain;
        this.developmentMode = config.auth().developmentMode();
    }

    /** Every refusal audited on its own, none limited: for tests of the decisions alone. */
    AccessInterceptor(CallAuthentication authenticator, Consumer<AuditEvent> audit, boolean developmentMode) {
        this(authenticator, new RefusalGuard(audit, Clock.systemUTC(), RefusalGuard.unlimited()), developmentMode);
    }

    AccessInterceptor(CallAuthentication authenticator, RefusalGuard refusals, boolean developmentMode) {
        this(authenticator, refusals, new ShutdownDrain(), developmentMode);
    }

    AccessInterceptor(CallAuthentication authenticator, RefusalGuard refusals, ShutdownDrain drain,
                      boolean developmentMode) {
        this.authenticator = authenticator;
        this.refusals = refusals;
        this.drain = drain;
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
        if (AccessPolicy.isPublic(method)) {
            return next.startCall(call, headers);
        }
        if (drain.draining()) {
            StatusRuntimeException unavailable = ErrorMapper.toStatus(new ShuttingDownException());
            call.close(unavailable.getStatus(), unavailable.getTrailers());
            return new ServerCall.Listener<>() {};
        }
        SSLSession tls = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        String peer = peer(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        // The service's handler is not started until the request is admitted, so ask for the request here.
        call.request(1);
        return new AdmittingListener<>(drain.watch(call), headers, next,
                request -> admit(call.getMethodDescriptor(), headers, tls, peer, request), drain::draining);
    }

    private Caller admit(MethodDescriptor<?, ?> called, Metadata headers, SSLSession tls, String peer, Object request) {
        String method = called.getFullMethodName();
        Optional<MethodDeclaration> declared = MethodDeclarations.of(called);
        Message message = request instanceof Message m ? m : null;
        String authorization = headers.get(CallAuthenticator.AUTHORIZATION);
        if (!developmentMode) {
            refusals.throttleBeforeAuthentication(peer, authorization,
                    () -> new AuditEvent(Caller.ANONYMOUS, method, resource(declared, message), "", ""));
        }
        Caller caller = null;
        try {
            caller = developmentMode ? DEVELOPER : authenticator.authenticate(headers, tls);
            // Not valid protobuf (UnparsableRequests). Checked after authentication: an anonymous caller is refused
            // (and audited) as UNAUTHENTICATED whatever bytes it sent.
            if (request == null) {
                throw InvalidArgumentException.of("request",
                        "is not a valid protobuf encoding of the method's request message");
            }
            AccessPolicy.authorize(method, declared.map(MethodDeclaration::rule), caller,
                    message == null ? Optional.empty() : declared.flatMap(d -> d.resource().projectId(message)));
            refusals.admitted(authorization);
            return caller;
        } catch (UnauthenticatedException | PermissionDeniedException refusal) {
            String code = ErrorMapper.toStatus(refusal).getStatus().getCode().name();
            // Known callers are limited by who they are; anonymous ones by where they call from, which the
            // record names too (the actor alone, "anonymous", would not tell one flood from another).
            String limited = caller == null ? peer : caller.principal();
            String detail = caller == null ? refusal.getMessage() + " (" + peer + ")" : refusal.getMessage();
            String actor = caller == null ? Caller.ANONYMOUS : caller.principal();
            throw refusals.refused(limited, refusal,
                    new AuditEvent(actor, method, resource(declared, message), code, detail));
        }
    }

    private static String resource(Optional<MethodDeclaration> declared, Message message) {
        return message == null || declared.isEmpty() ? "" : declared.get().resource().describe(message);
    }

    /** "peer:&lt;address&gt;", without the port: one client host is one caller, whichever connection it uses. */
    static String peer(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return "peer:" + inet.getAddress().getHostAddress();
        }
        return "peer:" + (remote == null ? "unknown" : remote.toString());
    }
}
