package dev.atrest.terraform.plugin;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.SSLException;

/**
 * The client side of the handshake, as go-plugin does it: read the line, trust exactly the certificate in
 * it, present our own. Used by the class-data-sharing training run and by tests.
 */
public final class PluginClient {

    private PluginClient() {
    }

    /** A channel to the plugin that printed {@code handshakeLine}; {@code clientCertificate} null for plaintext. */
    public static ManagedChannel connect(String handshakeLine, SelfSignedCertificate clientCertificate)
            throws Exception {
        String[] fields = handshakeLine.trim().split("\\|", -1);
        if (fields.length != 6 || !fields[2].equals("tcp") || !fields[4].equals("grpc")) {
            throw new IllegalArgumentException("not a go-plugin gRPC handshake line: " + handshakeLine);
        }
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(fields[3]);
        if (fields[5].isEmpty()) {
            return builder.usePlaintext().build();
        }
        X509Certificate server = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(fields[5])));
        return builder.sslContext(clientTls(server, clientCertificate)).overrideAuthority("localhost").build();
    }

    private static io.grpc.netty.shaded.io.netty.handler.ssl.SslContext clientTls(X509Certificate server,
            SelfSignedCertificate client) throws SSLException {
        SslContextBuilder tls = GrpcSslContexts.forClient().trustManager(server);
        if (client != null) {
            tls.keyManager(client.privateKey(), client.certificate());
        }
        return tls.build();
    }

    /** The PEM form Terraform puts in PLUGIN_CLIENT_CERT. */
    public static String pem(X509Certificate certificate) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                        .encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
