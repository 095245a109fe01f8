package dev.atrest.keyservice.access;

import dev.atrest.keyservice.domain.Caller;
import dev.atrest.keyservice.domain.UnauthenticatedException;
import io.grpc.Metadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Reads a call's credentials from the transport: the bearer token in the {@code authorization} header
 * and the client certificate chain of the TLS session. Every credential presented must be valid (a bad
 * certificate is not overlooked because a token came with it). When both are valid the token decides
 * who the caller is: it is the narrower, revocable credential, typically one workload's own beside a
 * certificate that several share.
 */
@ApplicationScoped
class CallAuthenticator implements CallAuthentication {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "bearer ";

    private final TokenAuthenticator tokens;
    private final CertificateAuthenticator certificates;

    CallAuthenticator(TokenAuthenticator tokens, CertificateAuthenticator certificates) {
        this.tokens = tokens;
        this.certificates = certificates;
    }

    @Override
    public Caller authenticate(String authorization, SSLSession tls) {
        Optional<Caller> byCertificate = peerCertificates(tls).map(certificates::authenticate);
        if (authorization != null) {
            return tokens.authenticate(bearerToken(authorization));
        }
        return byCertificate.orElseThrow(() -> new UnauthenticatedException(
                "no credentials: send a token (gRPC metadata 'authorization: Bearer <token>', or the Vault API's"
                        + " X-Vault-Token header)"
                        + (certificates.enabled() ? " or a client certificate" : "")));
    }

    private static String bearerToken(String authorization) {
        if (authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new UnauthenticatedException("the authorization metadata must be 'Bearer <token>'");
        }
        return authorization.substring(BEARER.length()).strip();
    }

    private static Optional<X509Certificate[]> peerCertificates(SSLSession tls) {
        if (tls == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = tls.getPeerCertificates();
            return Optional.of(Arrays.stream(chain).map(X509Certificate.class::cast).toArray(X509Certificate[]::new));
        } catch (SSLPeerUnverifiedException noClientCertificate) {
            return Optional.empty();
        }
    }
}
