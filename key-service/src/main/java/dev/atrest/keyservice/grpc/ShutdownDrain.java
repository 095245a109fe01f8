package dev.atrest.keyservice.grpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * What a call sees while the service stops. Quarkus fires ShutdownEvent before it stops the gRPC server;
 * from then on a new call is answered UNAVAILABLE at once, and a call in flight that fails because the
 * service is going away underneath it (its database pool, its audit log, its worker pool closing) ends
 * UNAVAILABLE too, not UNKNOWN or INTERNAL: clients retry UNAVAILABLE on another replica, and a bug
 * report for a restart would send someone looking for a bug that is not there.
 *
 * <p>A singleton, not a client proxy: it is asked while the container is shutting down, when a proxy throws.
 */
@Singleton
public class ShutdownDrain {
    /** The codes a call may end with because the service went away under it. */
    private static final Set<Status.Code> CAUSED_BY_SHUTDOWN = Set.of(Status.Code.UNKNOWN, Status.Code.INTERNAL,
            Status.Code.CANCELLED);

    private volatile boolean draining;

    /** First of all shutdown observers: before the audit log drains (2500) and the refusal counts are recorded (1000). */
    public void onShutdown(@Observes @Priority(1) ShutdownEvent shutdown) {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    /** {@code call}, whose failures while draining end UNAVAILABLE. */
    public <Q, A> ServerCall<Q, A> watch(ServerCall<Q, A> call) {
        return new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                if (draining && CAUSED_BY_SHUTDOWN.contains(status.getCode())) {
                    StatusRuntimeException unavailable = ErrorMapper.toStatus(new ShuttingDownException());
                    super.close(unavailable.getStatus(), unavailable.getTrailers());
                    return;
                }
                super.close(status, trailers);
            }
        };
    }
}
