package dev.atrest.terraform.provider;

import dev.atrest.v1.AlertServiceGrpc;
import dev.atrest.v1.ClusterEncryptionServiceGrpc;
import dev.atrest.v1.ProjectEncryptionServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import dev.atrest.terraform.plugin.EventLoops;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/** Stubs for the key service, with the provider's transport settings and a deadline on every call. */
public final class AtrestClient implements AutoCloseable {

    /** KMS validation happens inside some calls; allow for a slow KMS, but never hang a plan forever. */
    private static final long DEADLINE_SECONDS = 60;
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final ManagedChannel channel;
    private final String endpoint;

    private AtrestClient(ManagedChannel channel, String endpoint) {
        this.channel = channel;
        this.endpoint = endpoint;
    }

    /** Connects lazily: nothing is dialled until the first call, so configure never fails on a down service. */
    public static AtrestClient connect(ProviderSettings settings) throws SSLException {
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(settings.endpoint())
                .eventLoopGroup(EventLoops.group()).channelType(NioSocketChannel.class);
        if (settings.tlsCaFile() == null) {
            builder.usePlaintext();
        } else {
            SslContextBuilder tls = GrpcSslContexts.forClient().trustManager(new File(settings.tlsCaFile()));
            if (settings.clientCertFile() != null) {
                tls.keyManager(new File(settings.clientCertFile()), new File(settings.clientKeyFile()));
            }
            builder.sslContext(tls.build());
        }
        if (settings.token() != null) {
            builder.intercept(bearerToken(settings.token()));
        }
        return new AtrestClient(builder.build(), settings.endpoint());
    }

    /** For tests: stubs over an existing channel. */
    public static AtrestClient over(ManagedChannel channel) {
        return new AtrestClient(channel, channel.authority());
    }

    public ProjectEncryptionServiceGrpc.ProjectEncryptionServiceBlockingStub projects() {
        return ProjectEncryptionServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    public ClusterEncryptionServiceGrpc.ClusterEncryptionServiceBlockingStub clusters() {
        return ClusterEncryptionServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    public AlertServiceGrpc.AlertServiceBlockingStub alerts() {
        return AlertServiceGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    public String endpoint() {
        return endpoint;
    }

    private static ClientInterceptor bearerToken(String token) {
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                    Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        headers.put(AUTHORIZATION, "Bearer " + token);
                        super.start(listener, headers);
                    }
                };
            }
        };
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
