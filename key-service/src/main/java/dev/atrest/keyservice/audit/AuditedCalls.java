package dev.atrest.keyservice.audit;

import com.google.protobuf.Message;
import dev.atrest.keyservice.domain.AuditBacklogException;
import dev.atrest.keyservice.domain.Caller;
import dev.atrest.keyservice.grpc.CallerContext;
import dev.atrest.keyservice.grpc.ErrorMapper;
import dev.atrest.keyservice.grpc.MethodDeclaration;
import dev.atrest.keyservice.grpc.MethodDeclarations;
import dev.atrest.keyservice.grpc.ResourcePattern;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;
import java.util.Optional;

/**
 * Records every call of an atrest.v1 RPC that declares itself audited ({@code audit: AUDIT_RULE_EVERY_CALL}
 * in its {@code (atrest.v1.access)} option: it changes something or releases a key), when it completes: who (the
 * caller the authentication interceptor placed in the context), which method, which resource, and the
 * outcome. The answer is held back until the record is queued, so a key never leaves unaudited: if the
 * audit log cannot take the record, the caller gets UNAVAILABLE instead of the answer.
 *
 * <p>Order: Quarkus calls global interceptors with the highest priority ({@link Prioritized}) first;
 * without one an interceptor has priority 0. This one's priority is below 0, so it runs after (inside)
 * the authentication interceptor: a call that interceptor refuses never reaches this one, and is audited
 * there, once.
 */
@GlobalInterceptor
@ApplicationScoped
public class AuditedCalls implements ServerInterceptor, Prioritized {
    /** Below the authentication interceptor's priority (and below the default, 0). */
    static final int PRIORITY = -100;
    /** Descriptions are short; a longer one is cut so the record stays readable. */
    static final int MAX_DETAIL = 200;

    private final AuditLog auditLog;

    public AuditedCalls(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                        ServerCallHandler<Q, A> next) {
        // Health checks and reflection declare nothing; an atrest.v1 RPC without a declaration never gets here.
        Optional<MethodDeclaration> declared = MethodDeclarations.of(call.getMethodDescriptor());
        if (declared.isEmpty() || !declared.get().audited()) {
            return next.startCall(call, headers);
        }
        RecordingCall<Q, A> recording = new RecordingCall<>(call, declared.get().resource(), CallerContext.current());
        return new SimpleForwardingServerCallListener<>(next.startCall(recording, headers)) {
            @Override
            public void onMessage(Q request) {
                recording.request = request;
                super.onMessage(request);
            }
        };
    }

    /** Holds the (unary) answer back until the call's record is queued. */
    private final class RecordingCall<Q, A> extends SimpleForwardingServerCall<Q, A> {
        private final ResourcePattern resource;
        private final Caller callerAtStart;
        private volatile Q request;
        private A answer;

        RecordingCall(ServerCall<Q, A> call, ResourcePattern resource, Caller callerAtStart) {
            super(call);
            this.resource = resource;
            this.callerAtStart = callerAtStart;
        }

        @Override
        public void sendMessage(A message) {
            answer = message;
        }

        @Override
        public void close(Status status, Metadata trailers) {
            try {
                auditLog.record(event(status));
            } catch (AuditBacklogException backlog) {
                StatusRuntimeException refused = ErrorMapper.toStatus(backlog);
                super.close(refused.getStatus(), refused.getTrailers());
                return;
            }
            if (answer != null) {
                super.sendMessage(answer);
            }
            super.close(status, trailers);
        }

        private AuditEvent event(Status status) {
            Caller current = CallerContext.current();
            Caller caller = current != null ? current : callerAtStart;
            String actor = caller == null ? Caller.ANONYMOUS : caller.principal();
            String named = request instanceof Message message ? resource.describe(message) : "";
            String description = status.getDescription() == null ? "" : status.getDescription();
            return new AuditEvent(actor, getMethodDescriptor().getFullMethodName(), named,
                    status.getCode().name(), RecordLimits.cut(description, MAX_DETAIL));
        }
    }
}
