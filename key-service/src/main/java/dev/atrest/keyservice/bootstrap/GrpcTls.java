package dev.atrest.keyservice.bootstrap;

import dev.atrest.keyservice.config.AtrestConfig;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.quarkus.runtime.LaunchMode;
import io.vertx.grpc.VertxServerBuilder;
import io.vertx.grpc.server.GrpcServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.jboss.logging.Logger;

/**
 * TLS for the gRPC port from {@code atrest.tls.*}. Quarkus' own gRPC TLS settings could not do what is
 * needed here: with a trust store they make the TLS layer reject an untrusted or expired client
 * certificate during the handshake, which the caller sees as a bare connection failure and the service
 * cannot audit. So the separate gRPC server (grpc-java on Netty, started by Vert.x) gets a Netty
 * SslContext of ours: with a client CA it asks for a client certificate (OPTIONAL: a token alone must
 * still work) and accepts any chain ({@link AcceptAnyClientChain}); every call's chain is then checked
 * against the CA in CertificateAuthenticator. Vert.x keeps this context because Quarkus' own TLS stays
 * off (quarkus.grpc.server.ssl.* unset), and an SslContext set on the Netty builder is not replaced then.
 *
 * <p>Since Quarkus' TLS stays off, its own start-up line says "TLS enabled: false" even when this class
 * turns TLS on: that line is silenced in application.properties and {@link #describe} is logged instead.
 * The files are checked by {@link StartupChecks} before anything listens, and again here.
 */
@ApplicationScoped
public class GrpcTls implements ServerBuilderCustomizer<VertxServerBuilder> {
    private static final Logger LOG = Logger.getLogger(GrpcTls.class);

    private final AtrestConfig.Tls tls;

    GrpcTls(AtrestConfig config) {
        this.tls = config.tls();
    }

    @Override
    public void customize(GrpcServerConfiguration config, VertxServerBuilder builder) {
        serverContext(tls).ifPresent(context -> builder.nettyBuilder().sslContext(context));
        int port = LaunchMode.current() == LaunchMode.TEST ? config.testPort() : config.port();
        LOG.infof("gRPC server on %s:%d; %s", config.host(), port, describe(tls));
    }

    /** The Vert.x-based gRPC server (use-separate-server=false) is not wired for atrest.tls: say so rather than serve plaintext. */
    @Override
    public void customize(GrpcServerConfiguration config, GrpcServerOptions options) {
        if (tls.certificateFile().isPresent() || tls.clientCaFile().isPresent()) {
            throw new IllegalStateException("atrest.tls.* needs quarkus.grpc.server.use-separate-server=true");
        }
    }

    /**
     * The server's TLS context, empty when TLS is off.
     *
     * @throws IllegalStateException naming the setting, when the settings or the files they name are unusable
     */
    static Optional<SslContext> serverContext(AtrestConfig.Tls tls) {
        if (tls.certificateFile().isEmpty() != tls.keyFile().isEmpty()) {
            throw new IllegalStateException("TLS needs both atrest.tls.certificate-file and atrest.tls.key-file");
        }
        if (tls.certificateFile().isEmpty()) {
            if (tls.clientCaFile().isPresent()) {
                throw new IllegalStateException("atrest.tls.client-ca-file needs TLS: set atrest.tls.certificate-file"
                        + " and atrest.tls.key-file too");
            }
            return Optional.empty();
        }
        Path certificate = tls.certificateFile().get();
        Path key = tls.keyFile().get();
        readable(certificate, "atrest.tls.certificate-file");
        readable(key, "atrest.tls.key-file");
        tls.clientCaFile().ifPresent(ca -> certificates(ca, "atrest.tls.client-ca-file"));
        try {
            SslContextBuilder context = GrpcSslContexts.forServer(certificate.toFile(), key.toFile());
            if (tls.clientCaFile().isPresent()) {
                context.trustManager(new AcceptAnyClientChain()).clientAuth(ClientAuth.OPTIONAL);
            }
            return Optional.of(context.build());
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("atrest.tls.certificate-file " + certificate + " and atrest.tls.key-file "
                    + key + " cannot be used for TLS: they must be a PEM certificate chain and its PEM (PKCS#8) private key");
        }
    }

    /** One line that tells the truth about the gRPC port's TLS. */
    static String describe(AtrestConfig.Tls tls) {
        if (tls.certificateFile().isEmpty()) {
            return "gRPC TLS off: plaintext (set atrest.tls.certificate-file and atrest.tls.key-file to turn it on)";
        }
        X509Certificate server = certificates(tls.certificateFile().get(), "atrest.tls.certificate-file").iterator().next();
        return "gRPC TLS on: certificate " + server.getSubjectX500Principal().getName() + " (valid until "
                + server.getNotAfter().toInstant() + ", from " + tls.certificateFile().get() + "); client certificates "
                + tls.clientCaFile().map(ca -> "requested, optional (a token also admits), checked on every call against "
                        + ca).orElse("not requested (no atrest.tls.client-ca-file)");
    }

    private static void readable(Path file, String setting) {
        if (!Files.isReadable(file)) {
            throw new IllegalStateException(setting + " " + file + " does not exist or cannot be read");
        }
    }

    private static Collection<X509Certificate> certificates(Path file, String setting) {
        readable(file, setting);
        try (InputStream pem = Files.newInputStream(file)) {
            Collection<X509Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(pem)
                    .stream().map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty()) {
                throw new IllegalStateException(setting + " " + file + " holds no PEM certificate");
            }
            return certificates;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(setting + " " + file + " is not PEM certificates");
        }
    }
}
