package dev.atrest.keyservice.access;

import dev.atrest.keyservice.domain.Caller;
import io.grpc.Metadata;
import javax.net.ssl.SSLSession;

/** Who is calling, from a call's headers and TLS session. */
@FunctionalInterface
interface CallAuthentication {
    /**
     * @param tls the call's TLS session, null on a plaintext connection
     * @throws dev.atrest.keyservice.domain.UnauthenticatedException when no valid identity is presented
     */
    Caller authenticate(Metadata headers, SSLSession tls);
}
