package dev.atrest.terraform.plugin;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one client certificate, byte for byte: the one Terraform put in PLUGIN_CLIENT_CERT.
 * Stricter than a PKIX trust store holding it (no other certificate it might have signed is accepted),
 * and it spares every start the JDK's trust-store and key-store set-up.
 */
final class SingleCertificateTrust extends X509ExtendedTrustManager {

    private final X509Certificate trusted;
    private final byte[] trustedEncoding;

    SingleCertificateTrust(X509Certificate trusted) throws java.security.cert.CertificateEncodingException {
        this.trusted = trusted;
        this.trustedEncoding = trusted.getEncoded();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0 || !Arrays.equals(chain[0].getEncoded(), trustedEncoding)) {
            throw new CertificateException("client certificate is not the one from PLUGIN_CLIENT_CERT");
        }
        chain[0].checkValidity();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the plugin is a server only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[] {trusted};
    }
}
