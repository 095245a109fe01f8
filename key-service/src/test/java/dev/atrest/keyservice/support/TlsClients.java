package dev.atrest.keyservice.support;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/** gRPC clients of the service under {@link TlsTestProfile}: TLS trusting the test CA. Close them after the class. */
public final class TlsClients {
    private static final List<ManagedChannel> CHANNELS = new ArrayList<>();

    private TlsClients() {}

    /** A TLS client presenting the named client certificate and/or token (null: none). */
    public static synchronized Client client(String certificate, String token) {
        try {
            SslContextBuilder tls = GrpcSslContexts.forClient().trustManager(TestCertificates.pem("ca").toFile());
            if (certificate != null) {
                tls.keyManager(TestCertificates.pem(certificate).toFile(), TestCertificates.key(certificate).toFile());
            }
            ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", Api.PORT).sslContext(tls.build()).build();
            CHANNELS.add(channel);
            return new Client(channel, token == null ? null : new BearerToken(token));
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static synchronized void closeAll() {
        CHANNELS.forEach(ManagedChannel::shutdownNow);
        CHANNELS.clear();
    }
}
