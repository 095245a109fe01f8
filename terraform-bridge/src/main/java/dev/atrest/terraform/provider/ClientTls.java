package dev.atrest.terraform.provider;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLException;

/**
 * The TLS context of the provider's channel, from the PEM files its settings name. A file that is not what
 * its attribute expects becomes a diagnostic on that attribute (Netty would throw IllegalArgumentException,
 * which Terraform would show as a plugin crash).
 */
final class ClientTls {

    private ClientTls() {
    }

    /** The context for {@code settings}, or null when it uses no TLS or a file is unusable (see diagnostics). */
    static SslContext context(ProviderSettings settings, Diagnostics diagnostics) {
        if (!settings.usesTls() || diagnostics.hasErrors()) {
            return null;
        }
        SslContextBuilder tls = GrpcSslContexts.forClient();
        try {
            tls.trustManager(Path.of(settings.caCertificateFile()).toFile());
        } catch (IllegalArgumentException e) {
            diagnostics.attributeError("ca_certificate_file", "not a PEM certificate",
                    "ca_certificate_file \"" + settings.caCertificateFile() + "\" holds no PEM certificate");
            return null;
        }
        if (settings.hasClientCertificate() && !addClientCertificate(tls, settings, diagnostics)) {
            return null;
        }
        try {
            return tls.build();
        } catch (SSLException e) {
            diagnostics.error("cannot set up TLS to the key service", e.getMessage());
            return null;
        }
    }

    private static boolean addClientCertificate(SslContextBuilder tls, ProviderSettings settings,
            Diagnostics diagnostics) {
        if (!holdsCertificate(Path.of(settings.clientCertificateFile()))) {
            diagnostics.attributeError("client_certificate_file", "not a PEM certificate",
                    "client_certificate_file \"" + settings.clientCertificateFile() + "\" holds no PEM certificate");
            return false;
        }
        try {
            tls.keyManager(Path.of(settings.clientCertificateFile()).toFile(),
                    Path.of(settings.clientKeyFile()).toFile());
            return true;
        } catch (IllegalArgumentException e) {
            diagnostics.attributeError("client_key_file", "not a PEM private key",
                    "client_key_file \"" + settings.clientKeyFile()
                            + "\" holds no unencrypted PKCS#8 PEM private key (\"BEGIN PRIVATE KEY\")");
            return false;
        }
    }

    private static boolean holdsCertificate(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return !CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty();
        } catch (IOException | GeneralSecurityException e) {
            return false;
        }
    }
}
