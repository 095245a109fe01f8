package dev.atrest.keyservice.bootstrap;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.vertx.grpc.VertxServerBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
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
        if (tls.certificateFile().isEmpty() != tls.keyFile().isEmpty()) {
            throw new IllegalStateException("TLS needs both atrest.tls.certificate-file and atrest.tls.key-file");
        }
        if (tls.certificateFile().isEmpty()) {
            if (tls.clientCaFile().isPresent()) {
                throw new IllegalStateException("atrest.tls.client-ca-file needs TLS: set atrest.tls.certificate-file"
                        + " and atrest.tls.key-file too");
            }
            LOG.info("gRPC without TLS (set atrest.tls.certificate-file and atrest.tls.key-file to turn it on)");
            return;
        }
        Path certificate = tls.certificateFile().get();
        Path key = tls.keyFile().get();
        try {
            SslContextBuilder context = GrpcSslContexts.forServer(certificate.toFile(), key.toFile());
            if (tls.clientCaFile().isPresent()) {
                context.trustManager(new AcceptAnyClientChain()).clientAuth(ClientAuth.OPTIONAL);
            }
            builder.nettyBuilder().sslContext(context.build());
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot use " + certificate + " and " + key
                    + " for TLS: they must be a PEM certificate chain and its PEM (PKCS#8) private key", e);
        }
        LOG.infof("gRPC with TLS (certificate %s)%s", certificate, tls.clientCaFile()
                .map(ca -> "; client certificates requested, checked against " + ca).orElse(""));
    }
}
