package dev.atrest.keyservice.access;

import com.google.protobuf.Message;
import dev.atrest.keyservice.audit.AuditEvent;
import dev.atrest.keyservice.domain.AccessPolicy;
import dev.atrest.keyservice.domain.Caller;
import dev.atrest.keyservice.grpc.ErrorMapper;
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
import java.util.function.Consumer;
import javax.net.ssl.SSLSession;

/**
 * Authentication and authorisation of every RPC, before anything else of the application sees it, by
 * {@link CallAdmission}: who is calling (bearer token and/or client certificate), and whether the caller may
 * make this call, by the rule the RPC declares in the contract ({@link MethodDeclarations}), on the project the
 * request names. Decided when the request message arrives, since the project is in it; a refused call is closed
 * there, audited, and never reaches the service. An admitted call carries its {@link Caller} in
 * {@link dev.atrest.keyservice.grpc.CallerContext}.
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
    private final CallAdmission admission;
    private final ShutdownDrain drain;

    @Inject
    AccessInterceptor(CallAdmission admission, ShutdownDrain drain) {
        this.admission = admission;
        this.drain = drain;
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
        this(new CallAdmission(authenticator, refusals, developmentMode), drain);
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
        return admission.admit(new CallAdmission.Credentials(headers.get(CallAuthenticator.AUTHORIZATION), tls, peer),
                called.getFullMethodName(), MethodDeclarations.of(called), request instanceof Message m ? m : null);
    }

    /** "peer:&lt;address&gt;", without the port: one client host is one caller, whichever connection it uses. */
    static String peer(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return CallAdmission.Credentials.peer(inet.getAddress().getHostAddress());
        }
        return CallAdmission.Credentials.peer(remote == null ? null : remote.toString());
    }
}
