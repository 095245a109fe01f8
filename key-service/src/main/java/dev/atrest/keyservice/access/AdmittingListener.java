package dev.atrest.keyservice.access;

import dev.atrest.keyservice.domain.Caller;
import dev.atrest.keyservice.domain.InvalidArgumentException;
import dev.atrest.keyservice.grpc.CallerContext;
import dev.atrest.keyservice.grpc.ErrorMapper;
import dev.atrest.keyservice.grpc.ShuttingDownException;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.StatusRuntimeException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Holds a call back until its request message arrives, then starts the service's side of it only if
 * {@code admission} lets the request in. Until then nothing reaches the service (nor later interceptors);
 * a refused call is closed with the refusal's status and every later event is dropped. Every atrest.v1
 * RPC is unary: one message decides.
 */
final class AdmittingListener<ReqT, RespT> extends ServerCall.Listener<ReqT> {
    private final ServerCall<ReqT, RespT> call;
    private final Metadata headers;
    private final ServerCallHandler<ReqT, RespT> next;
    private final Function<ReqT, Caller> admission;
    private final BooleanSupplier shuttingDown;
    private ServerCall.Listener<ReqT> admitted;
    private boolean refused;

    /**
     * @param admission returns the caller to let in, or throws the refusal
     * @param shuttingDown whether the service is stopping: an admitted call's failure then ends UNAVAILABLE
     */
    AdmittingListener(ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next,
                      Function<ReqT, Caller> admission, BooleanSupplier shuttingDown) {
        this.call = call;
        this.headers = headers;
        this.next = next;
        this.admission = admission;
        this.shuttingDown = shuttingDown;
    }

    @Override
    public void onMessage(ReqT message) {
        if (admitted != null) {
            forward(() -> admitted.onMessage(message));
            return;
        }
        if (refused) {
            return;
        }
        Caller caller;
        try {
            caller = admission.apply(message);
        } catch (RuntimeException refusal) {
            refuse(ErrorMapper.toStatus(refusal));
            return;
        }
        admitted = Contexts.interceptCall(Context.current().withValue(CallerContext.KEY, caller), call, headers, next);
        forward(() -> admitted.onMessage(message));
    }

    @Override
    public void onHalfClose() {
        if (admitted != null) {
            forward(admitted::onHalfClose);
        } else if (!refused) {
            // The client finished without sending the request that could have been checked.
            refuse(ErrorMapper.toStatus(InvalidArgumentException.of("request", "a call needs its request message")));
        }
    }

    @Override
    public void onCancel() {
        if (admitted != null) {
            admitted.onCancel();
        }
    }

    @Override
    public void onComplete() {
        if (admitted != null) {
            admitted.onComplete();
        }
    }

    @Override
    public void onReady() {
        if (admitted != null) {
            admitted.onReady();
        }
    }

    /**
     * Runs the service's side. What it throws while the service stops (its pool or database closed under
     * it) would reach grpc-java, which ends the call UNKNOWN: it ends UNAVAILABLE instead.
     */
    private void forward(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException failure) {
            if (!shuttingDown.getAsBoolean()) {
                throw failure;
            }
            try {
                refuse(ErrorMapper.toStatus(new ShuttingDownException()));
            } catch (IllegalStateException alreadyClosed) {
                // the service closed the call before it failed: its answer stands
            }
        }
    }

    private void refuse(StatusRuntimeException status) {
        refused = true;
        Metadata trailers = status.getTrailers() == null ? new Metadata() : status.getTrailers();
        call.close(status.getStatus(), trailers);
    }
}
