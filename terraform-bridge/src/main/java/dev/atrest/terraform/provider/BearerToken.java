package dev.atrest.terraform.provider;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.util.concurrent.Executor;

/** Sends {@code authorization: Bearer <token>} with every call, as the key service expects. */
final class BearerToken extends CallCredentials {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final String token;

    private BearerToken(String token) {
        this.token = token;
    }

    /** Credentials for {@code token}, or null (no credentials) when it is null. */
    static CallCredentials orNone(String token) {
        return token == null ? null : new BearerToken(token);
    }

    @Override
    public void applyRequestMetadata(RequestInfo request, Executor executor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        applier.apply(headers);
    }

    @Override
    public String toString() {
        return "BearerToken[redacted]";
    }
}
