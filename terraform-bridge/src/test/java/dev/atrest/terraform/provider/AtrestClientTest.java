package dev.atrest.terraform.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.ProjectEncryptionServiceGrpc;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider's channel against a real Netty server on loopback: what arrives there is what the service sees. */
class AtrestClientTest {

    private static final String TOKEN = "atrest_" + "t".repeat(43);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    @TempDir
    Path folder;

    private final AtomicReference<String> authorization = new AtomicReference<>();
    private final AtomicReference<Certificate> clientCertificate = new AtomicReference<>();
    private Server server;
    private AtrestClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.shutdownNow();
        }
    }

    @Test
    void call_plaintextWithToken_sendsBearerMetadata() throws Exception {
        start(null);

        connect(Map.of("token", TOKEN)).projects().getProjectEncryption(request());

        assertThat(authorization.get()).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void call_noToken_sendsNoAuthorization() throws Exception {
        start(null);

        connect(Map.of()).projects().getProjectEncryption(request());

        assertThat(authorization.get()).isNull();
    }

    @Test
    void call_tlsWithToken_trustsServerAndSendsBearerMetadata() throws Exception {
        PemFiles serverIdentity = PemFiles.write(folder, "server");
        start(GrpcSslContexts.forServer(serverIdentity.certificate().toFile(), serverIdentity.key().toFile()).build());

        ProjectEncryption answer = connect(Map.of("token", TOKEN,
                "ca_certificate_file", serverIdentity.certificate().toString()))
                .projects().getProjectEncryption(request());

        assertThat(answer.getProjectId()).isEqualTo("p1");
        assertThat(authorization.get()).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void call_tlsWithUntrustedServer_failsUnavailable() throws Exception {
        PemFiles serverIdentity = PemFiles.write(folder, "server");
        PemFiles otherCa = PemFiles.write(folder, "other");
        start(GrpcSslContexts.forServer(serverIdentity.certificate().toFile(), serverIdentity.key().toFile()).build());

        AtrestClient untrusting = connect(Map.of("ca_certificate_file", otherCa.certificate().toString()));

        assertThatThrownBy(() -> untrusting.projects().getProjectEncryption(request()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode().name()).isEqualTo("UNAVAILABLE"));
        assertThat(authorization.get()).isNull();
    }

    @Test
    void call_mutualTls_presentsClientCertificate() throws Exception {
        PemFiles serverIdentity = PemFiles.write(folder, "server");
        PemFiles clientIdentity = PemFiles.write(folder, "client");
        start(GrpcSslContexts.configure(SslContextBuilder.forServer(serverIdentity.certificate().toFile(),
                        serverIdentity.key().toFile()))
                .trustManager(clientIdentity.certificate().toFile()).clientAuth(ClientAuth.REQUIRE).build());

        connect(Map.of("ca_certificate_file", serverIdentity.certificate().toString(),
                "client_certificate_file", clientIdentity.certificate().toString(),
                "client_key_file", clientIdentity.key().toString())).projects().getProjectEncryption(request());

        assertThat(clientCertificate.get()).isEqualTo(clientIdentity.identity().certificate());
    }

    private AtrestClient connect(Map<String, Object> block) {
        Map<String, Object> config = new HashMap<>(block);
        config.put("endpoint", "localhost:" + server.getPort());
        Diagnostics diagnostics = new Diagnostics();
        ProviderSettings settings = ProviderSettings.resolve(config, Map.of(), diagnostics);
        SslContext tls = ClientTls.context(settings, diagnostics);
        assertThat(diagnostics.asList()).isEmpty();
        client = AtrestClient.connect(settings, tls);
        return client;
    }

    private void start(SslContext tls) throws Exception {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(new Projects(), new RecordCaller()));
        if (tls != null) {
            builder.sslContext(tls);
        }
        server = builder.build().start();
    }

    private static GetProjectEncryptionRequest request() {
        return GetProjectEncryptionRequest.newBuilder().setProjectId("p1").build();
    }

    /** Records the authorization header and the client certificate of each call. */
    private final class RecordCaller implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            authorization.set(headers.get(AUTHORIZATION));
            SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
            if (session != null) {
                try {
                    clientCertificate.set(session.getPeerCertificates()[0]);
                } catch (SSLPeerUnverifiedException noClientCertificate) {
                    clientCertificate.set(null);
                }
            }
            return next.startCall(call, headers);
        }
    }

    private static final class Projects extends ProjectEncryptionServiceGrpc.ProjectEncryptionServiceImplBase {
        @Override
        public void getProjectEncryption(GetProjectEncryptionRequest request,
                StreamObserver<ProjectEncryption> response) {
            response.onNext(ProjectEncryption.newBuilder().setProjectId(request.getProjectId()).build());
            response.onCompleted();
        }
    }
}
