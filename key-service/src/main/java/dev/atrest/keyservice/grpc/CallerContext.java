package dev.atrest.keyservice.grpc;

import dev.atrest.keyservice.domain.Caller;
import io.grpc.Context;

/** The authenticated caller of the current RPC, placed in the gRPC context by the authentication interceptor. */
public final class CallerContext {
    public static final Context.Key<Caller> KEY = Context.key("atrest-caller");

    private CallerContext() {}

    /** The caller of the RPC running on this thread; null outside an authenticated RPC. */
    public static Caller current() {
        return KEY.get();
    }
}
