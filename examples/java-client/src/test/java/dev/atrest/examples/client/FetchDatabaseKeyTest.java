package dev.atrest.examples.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.atrest.v1.AccessServiceGrpc;
import dev.atrest.v1.Caller;
import dev.atrest.v1.DatabaseKey;
import dev.atrest.v1.DatabaseKeyServiceGrpc;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.Role;
import dev.atrest.v1.WhoAmIRequest;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against an in-process key service: what it sends, what it prints, and what it never prints. */
class FetchDatabaseKeyTest {

    private static final String TOKEN = "atrest_" + "k".repeat(43);
    private static final byte[] KEY = HexFormat.of().parseHex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private volatile Status refusal;
    private Server server;
    private KeyServiceChannel keyService;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(ServerInterceptors.intercept(new Access(), new RecordAuthorization()))
                .addService(ServerInterceptors.intercept(new Keys(), new RecordAuthorization()))
                .build().start();
        keyService = new KeyServiceChannel(InProcessChannelBuilder.forName(name).directExecutor().build(),
                new BearerToken(TOKEN));
    }

    @AfterEach
    void stop() {
        keyService.close();
        server.shutdownNow();
    }

    @Test
    void fetch_granted_printsVersionsAndFingerprint() {
        int exit = FetchDatabaseKey.fetch(keyService, request(), print(out), print(err));

        assertThat(exit).isZero();
        assertThat(text(out)).contains("authenticated as token:orders-app (KEY_CONSUMER, projects: acme)")
                .contains("database key acme/orders-db/customers: version 3, master-key version 2, 256 bits, sha256 "
                        + KeyFingerprint.sha256(KEY));
    }

    @Test
    void fetch_granted_neverPrintsTheKey() {
        FetchDatabaseKey.fetch(keyService, request(), print(out), print(err));

        assertThat(text(out) + text(err)).doesNotContain(HexFormat.of().formatHex(KEY))
                .doesNotContain(Base64.getEncoder().encodeToString(KEY))
                .doesNotContain(new String(KEY, StandardCharsets.ISO_8859_1));
    }

    @Test
    void fetch_anyCall_sendsBearerToken() {
        FetchDatabaseKey.fetch(keyService, request(), print(out), print(err));

        assertThat(authorizations).containsExactly("Bearer " + TOKEN, "Bearer " + TOKEN);
    }

    @Test
    void fetch_refused_printsCodeAndExitsWithOne() {
        refusal = Status.PERMISSION_DENIED.withDescription("not granted project acme");

        int exit = FetchDatabaseKey.fetch(keyService, request(), print(out), print(err));

        assertThat(exit).isOne();
        assertThat(text(err)).contains("failed: PERMISSION_DENIED: not granted project acme");
        assertThat(text(out)).doesNotContain("database key");
    }

    @Test
    void run_noCredentials_exitsWithTwoBeforeCalling() throws Exception {
        int exit = FetchDatabaseKey.run(new String[] {"acme", "orders-db", "customers"}, Map.of(), print(out),
                print(err));

        assertThat(exit).isEqualTo(2);
        assertThat(text(err)).contains("no credentials");
    }

    @Test
    void run_versionNotANumber_exitsWithTwo() throws Exception {
        int exit = FetchDatabaseKey.run(new String[] {"acme", "orders-db", "customers", "latest"},
                Map.of("ATREST_TOKEN", TOKEN), print(out), print(err));

        assertThat(exit).isEqualTo(2);
        assertThat(text(err)).contains("VERSION must be a number");
    }

    private static GetDatabaseKeyRequest request() {
        return GetDatabaseKeyRequest.newBuilder().setProjectId("acme").setClusterName("orders-db")
                .setDatabaseName("customers").build();
    }

    private static PrintStream print(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private final class RecordAuthorization implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            authorizations.add(headers.get(AUTHORIZATION));
            return next.startCall(call, headers);
        }
    }

    private final class Access extends AccessServiceGrpc.AccessServiceImplBase {
        @Override
        public void whoAmI(WhoAmIRequest request, StreamObserver<Caller> response) {
            response.onNext(Caller.newBuilder().setPrincipal("token:orders-app").setRole(Role.KEY_CONSUMER)
                    .addProjectIds("acme").build());
            response.onCompleted();
        }
    }

    private final class Keys extends DatabaseKeyServiceGrpc.DatabaseKeyServiceImplBase {
        @Override
        public void getDatabaseKey(GetDatabaseKeyRequest request, StreamObserver<DatabaseKey> response) {
            if (refusal != null) {
                response.onError(refusal.asRuntimeException());
                return;
            }
            response.onNext(DatabaseKey.newBuilder().setProjectId(request.getProjectId())
                    .setClusterName(request.getClusterName()).setDatabaseName(request.getDatabaseName())
                    .setVersion(3).setMasterKeyVersion(2).setKey(ByteString.copyFrom(KEY)).build());
            response.onCompleted();
        }
    }
}
