package dev.atrest.keyservice.access;

import dev.atrest.keyservice.domain.Caller;
import javax.net.ssl.SSLSession;

/** Who is calling, from what a call presented: its authorization value and TLS session. */
@FunctionalInterface
interface CallAuthentication {
    /**
     * @param authorization the call's authorization value ("Bearer &lt;token&gt;"), null when it sent none
     * @param tls the call's TLS session, null on a plaintext connection
     * @throws dev.atrest.keyservice.domain.UnauthenticatedException when no valid identity is presented
     */
    Caller authenticate(String authorization, SSLSession tls);
}
