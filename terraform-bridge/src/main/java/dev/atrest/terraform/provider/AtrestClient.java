package dev.atrest.terraform.provider;

import dev.atrest.terraform.plugin.EventLoops;
import dev.atrest.v1.AlertServiceGrpc;
import dev.atrest.v1.ClusterEncryptionServiceGrpc;
import dev.atrest.v1.ProjectEncryptionServiceGrpc;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.util.concurrent.TimeUnit;

/** Stubs for the key service, with the provider's transport settings and a deadline on every call. */
public final class AtrestClient implements AutoCloseable {

    /** KMS validation happens inside some calls; allow for a slow KMS, but never hang a plan forever. */
    private static final long DEADLINE_SECONDS = 60;

    private final ManagedChannel channel;
    private final String endpoint;
    /** Attached to every stub; null sends no credentials (development mode, or a client certificate only). */
    private final CallCredentials credentials;
    /** How {@link ServiceRetry} pauses between attempts: Terraform's stop ends it; tests pass a virtual one. */
    private final Waiting waiting;

    private AtrestClient(ManagedChannel channel, String endpoint, CallCredentials credentials, Waiting waiting) {
        this.channel = channel;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.waiting = waiting;
    }

    /**
     * Connects lazily: nothing is dialled until the first call, so configure never fails on a down service.
     *
     * @param tls the TLS context from {@link ClientTls}, or null for plaintext
     */
    public static AtrestClient connect(ProviderSettings settings, SslContext tls) {
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(settings.endpoint())
                .eventLoopGroup(EventLoops.group()).channelType(NioSocketChannel.class);
        if (tls == null) {
            builder.usePlaintext();
        } else {
            builder.sslContext(tls);
        }
        return new AtrestClient(builder.build(), settings.endpoint(), BearerToken.orNone(settings.token()),
                Waiting.SYSTEM);
    }

    /** For tests: stubs over an existing channel. */
    public static AtrestClient over(ManagedChannel channel) {
        return over(channel, Waiting.SYSTEM);
    }

    /** For tests: stubs over an existing channel, retries pausing in {@code waiting}'s time. */
    public static AtrestClient over(ManagedChannel channel, Waiting waiting) {
        return new AtrestClient(channel, channel.authority(), null, waiting);
    }

    public ProjectEncryptionServiceGrpc.ProjectEncryptionServiceBlockingStub projects() {
        return ProjectEncryptionServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    public ClusterEncryptionServiceGrpc.ClusterEncryptionServiceBlockingStub clusters() {
        return ClusterEncryptionServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    public AlertServiceGrpc.AlertServiceBlockingStub alerts() {
        return AlertServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    public Waiting waiting() {
        return waiting;
    }

    public String endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
