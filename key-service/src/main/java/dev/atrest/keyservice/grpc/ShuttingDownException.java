package dev.atrest.keyservice.grpc;

/** The service is stopping: the call is answered UNAVAILABLE, to be retried on another replica. */
public final class ShuttingDownException extends RuntimeException {
    public ShuttingDownException() {
        super("the service is shutting down; retry on another replica", null, false, false);
    }
}
