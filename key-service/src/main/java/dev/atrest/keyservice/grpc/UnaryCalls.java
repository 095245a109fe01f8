package dev.atrest.keyservice.grpc;

import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** Runs a unary RPC body and sends either its result or the mapped error, never both. */
public final class UnaryCalls {
    private UnaryCalls() {}

    public static <T> void respond(StreamObserver<T> observer, Supplier<T> body) {
        T response;
        try {
            response = body.get();
        } catch (RuntimeException | Error failure) {
            observer.onError(ErrorMapper.toStatus(failure));
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }
}
