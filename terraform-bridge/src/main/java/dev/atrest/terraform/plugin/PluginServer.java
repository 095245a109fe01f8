package dev.atrest.terraform.plugin;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2SecurityUtil;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolConfig;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolNames;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.JdkSslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The gRPC server Terraform talks to: binds 127.0.0.1 on the first free port of the allowed range, serves
 * mTLS when Terraform sent a client certificate, and adds the services go-plugin expects next to the
 * provider (health for service "plugin", the controller that shuts us down, the stdio stream).
 */
public final class PluginServer {

    private static final Logger LOG = Logger.getLogger(PluginServer.class.getName());
    /** go-plugin's health check asks about this service name. */
    private static final String HEALTH_SERVICE_NAME = "plugin";

    /**
     * The largest request Terraform may send: 256 MiB, what terraform-plugin-go's servers accept. gRPC's own
     * 4 MiB default made a configuration with a few megabyte-long values fail as an opaque "Plugin error:
     * ResourceExhausted" before validation could name the attribute at fault.
     */
    private static final int MAX_REQUEST_BYTES = 256 << 20;

    /** After Shutdown, how long in-flight work may take before the process exits anyway. */
    private static final long SHUTDOWN_GRACE_MILLIS = 100;

    /** The ALPN set-up gRPC requires (h2 only), as GrpcSslContexts.configure would make it. */
    private static final ApplicationProtocolConfig HTTP2_ALPN = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2);

    private final Server server;
    private final ShutdownController controller;
    private final Optional<SelfSignedCertificate> certificate;

    private PluginServer(Server server, ShutdownController controller, Optional<SelfSignedCertificate> certificate) {
        this.server = server;
        this.controller = controller;
        this.certificate = certificate;
    }

    public static PluginServer start(HandshakeConfig config, List<BindableService> providerServices)
            throws HandshakeRefused {
        Optional<SelfSignedCertificate> certificate = config.clientCertPem().map(pem -> SelfSignedCertificate.generate());
        StartupTrace.mark("certificate generated");
        Optional<SslContext> tls = certificate.isEmpty() ? Optional.empty()
                : Optional.of(mutualTls(certificate.get(), parseCertificate(config.clientCertPem().get())));
        StartupTrace.mark("TLS context built");
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus(HEALTH_SERVICE_NAME, ServingStatus.SERVING);
        ShutdownController controller = new ShutdownController();
        for (int port = config.minPort(); port <= config.maxPort(); port++) {
            NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                    .bossEventLoopGroup(EventLoops.group())
                    .workerEventLoopGroup(EventLoops.group())
                    .channelType(NioServerSocketChannel.class)
                    .maxInboundMessageSize(MAX_REQUEST_BYTES)
                    .addService(health.getHealthService())
                    .addService(controller)
                    .addService(new StdioService());
            providerServices.forEach(builder::addService);
            int candidate = port;
            tls.ifPresent(builder::sslContext);
            try {
                Server server = builder.build().start();
                controller.serve(server);
                StartupTrace.mark("server listening");
                LOG.fine(() -> "listening on 127.0.0.1:" + server.getPort() + (tls.isPresent() ? " with mTLS" : ""));
                return new PluginServer(server, controller, certificate);
            } catch (IOException portTaken) {
                LOG.finest(() -> "port " + candidate + " unavailable (" + portTaken.getMessage() + "), trying the next");
            }
        }
        throw new HandshakeRefused("no free port on 127.0.0.1 between " + config.minPort() + " and " + config.maxPort());
    }

    /**
     * Serve with our certificate, demand a client certificate, and trust exactly Terraform's. The JDK's TLS,
     * not netty's bundled BoringSSL: loading and initialising the native library cost about 0.6 s of every
     * start here, and a plugin connection carries little traffic. The JDK SSLContext is wrapped directly
     * rather than built by SslContextBuilder: netty's JdkSslServerContext initialiser (run once per process,
     * so once per start) parses an RSA test key, stores it in a password-protected PKCS#12 key store (a PBKDF2
     * derivation each way) and initialises a default trust manager, and grpc's ALPN probe initialises one more
     * default context; none of it is used by the context we hand over.
     */
    private static SslContext mutualTls(SelfSignedCertificate own, X509Certificate client) throws HandshakeRefused {
        try {
            SSLContext jdk = SSLContext.getInstance("TLS");
            jdk.init(new KeyManager[] {new SingleKeyManager(own)},
                    new TrustManager[] {new SingleCertificateTrust(client)}, null);
            return new JdkSslContext(jdk, false, Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE,
                    HTTP2_ALPN, ClientAuth.REQUIRE, null, false);
        } catch (GeneralSecurityException e) {
            throw new HandshakeRefused("cannot set up TLS for the plugin connection: " + e.getMessage());
        }
    }

    private static X509Certificate parseCertificate(String pem) throws HandshakeRefused {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException | ClassCastException e) {
            throw new HandshakeRefused("PLUGIN_CLIENT_CERT is not a PEM certificate: " + e.getMessage());
        }
    }

    public String handshakeLine() {
        return HandshakeConfig.handshakeLine("127.0.0.1:" + server.getPort(),
                certificate.map(SelfSignedCertificate::handshakeEncoding).orElse(""));
    }

    public int port() {
        return server.getPort();
    }

    /**
     * Returns once the client has asked us to shut down and the server has drained, or after a short grace
     * period: Terraform waits for the process to exit after every command, and an idle connection it has
     * not yet closed must not keep it waiting.
     */
    public void awaitShutdown() throws InterruptedException {
        controller.awaitRequest();
        if (!server.awaitTermination(SHUTDOWN_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
            server.shutdownNow();
        }
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** The server's grace period is over: stop the network threads so the JVM can exit without waiting. */
    public void releaseNetwork() {
        EventLoops.shutdown();
    }

    public void stop() throws InterruptedException {
        server.shutdown();
        if (!server.awaitTermination(1, TimeUnit.SECONDS)) {
            server.shutdownNow();
        }
    }
}
