package dev.atrest.examples.client;

import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import javax.net.ssl.SSLException;

/** The channel to the key service and the credentials every call carries, from {@link ClientSettings}. */
record KeyServiceChannel(ManagedChannel channel, CallCredentials credentials) implements AutoCloseable {

    static KeyServiceChannel open(ClientSettings settings) throws SSLException {
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(settings.address());
        if (settings.usesTls()) {
            SslContextBuilder tls = GrpcSslContexts.forClient().trustManager(new File(settings.caCertificateFile()));
            if (settings.clientCertificateFile() != null) {
                tls.keyManager(new File(settings.clientCertificateFile()), new File(settings.clientKeyFile()));
            }
            builder.sslContext(tls.build());
        } else {
            builder.usePlaintext();
        }
        // A certificate alone identifies the caller; no bearer header is sent then.
        CallCredentials credentials = settings.token() == null ? null : new BearerToken(settings.token());
        return new KeyServiceChannel(builder.build(), credentials);
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
