package dev.atrest.keyservice.bootstrap;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The server's trust manager when client certificates are asked for: it lets every client chain through
 * the handshake, because the service checks it itself, per call (access/CertificateAuthenticator), where a
 * refusal can be answered UNAUTHENTICATED with the reason and audited instead of ending in a failed
 * handshake nobody can explain. It names no acceptable issuers, so clients send the certificate they
 * have rather than silently none. It is never asked about servers: this is a server's context.
 */
final class AcceptAnyClientChain extends X509ExtendedTrustManager {
    private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // Checked per call by CertificateAuthenticator.
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // Checked per call by CertificateAuthenticator.
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // Checked per call by CertificateAuthenticator.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a server-side trust manager checks no servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("a server-side trust manager checks no servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("a server-side trust manager checks no servers");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NO_ISSUERS;
    }
}
