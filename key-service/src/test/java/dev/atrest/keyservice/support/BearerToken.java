package dev.atrest.keyservice.support;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.util.concurrent.Executor;

/** Sends a bearer token with every call, as a real client would: metadata {@code authorization: Bearer <token>}. */
public final class BearerToken extends CallCredentials {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final String secret;

    public BearerToken(String secret) {
        this.secret = secret;
    }

    @Override
    public void applyRequestMetadata(RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + secret);
        applier.apply(headers);
    }

    @Override
    public String toString() {
        return "BearerToken[(hidden)]";
    }
}
