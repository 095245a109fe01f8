package dev.atrest.keyservice.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.domain.Caller;
import dev.atrest.keyservice.domain.Role;
import dev.atrest.keyservice.grpc.CallerContext;
import dev.atrest.v1.AlertServiceGrpc;
import dev.atrest.v1.DatabaseKey;
import dev.atrest.v1.DatabaseKeyServiceGrpc;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.ListAlertsRequest;
import dev.atrest.v1.ListAlertsResponse;
import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The interceptor on its own, with a stand-in call and service: what it records, and what it lets out. */
class AuditedCallsInterceptionTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final GetDatabaseKeyRequest REQUEST = GetDatabaseKeyRequest.newBuilder().setProjectId("p1")
            .setClusterName("c1").setDatabaseName("orders").build();
    private static final DatabaseKey KEY = DatabaseKey.newBuilder().setProjectId("p1").setClusterName("c1")
            .setDatabaseName("orders").setVersion(1).setKey(ByteString.copyFrom(new byte[32])).build();

    private final RecordingAppender appender = new RecordingAppender();
    private final AuditLog log = new AuditLog(appender, new AuditChain(KeyMaterial.generate(new SecureRandom())),
            Clock.systemUTC(), null, 100, 500, WAIT);
    private final AuditedCalls interceptor = new AuditedCalls(log);

    @AfterEach
    void stop() throws InterruptedException {
        log.drain();
    }

    @Test
    void getDatabaseKey_answered_recordedWithCallerResourceAndOutcome() {
        log.start();
        Caller caller = new Caller("token:consumer-1", Set.of(Role.KEY_CONSUMER), Set.of("p1"), false);

        FakeCall<GetDatabaseKeyRequest, DatabaseKey> call = run(DatabaseKeyServiceGrpc.getGetDatabaseKeyMethod(),
                REQUEST, KEY, Status.OK, caller);
        log.flush(WAIT);

        assertThat(call.sent).containsExactly(KEY);
        assertThat(call.closedWith.getCode()).isEqualTo(Status.Code.OK);
        assertThat(appender.events()).containsExactly(new AuditEvent("token:consumer-1",
                "atrest.v1.DatabaseKeyService/GetDatabaseKey", "projects/p1/clusters/c1/databases/orders", "OK", ""));
    }

    @Test
    void getDatabaseKey_refusedByTheService_recordedWithCodeAndDescription() {
        log.start();

        FakeCall<GetDatabaseKeyRequest, DatabaseKey> call = run(DatabaseKeyServiceGrpc.getGetDatabaseKeyMethod(),
                REQUEST, null, Status.FAILED_PRECONDITION.withDescription("x".repeat(500)), null);
        log.flush(WAIT);

        assertThat(call.closedWith.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(appender.events()).singleElement().satisfies(event -> {
            assertThat(event.actor()).isEqualTo(Caller.ANONYMOUS);
            assertThat(event.outcome()).isEqualTo("FAILED_PRECONDITION");
            assertThat(event.detail()).hasSize(AuditedCalls.MAX_DETAIL);
        });
    }

    @Test
    void getDatabaseKey_auditLogRefuses_keyNeverSentAndCallUnavailable() throws InterruptedException {
        log.start();
        log.drain(); // a log that takes no more records

        FakeCall<GetDatabaseKeyRequest, DatabaseKey> call = run(DatabaseKeyServiceGrpc.getGetDatabaseKeyMethod(),
                REQUEST, KEY, Status.OK, null);

        assertThat(call.sent).isEmpty();
        assertThat(call.closedWith.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(appender.events()).isEmpty();
    }

    @Test
    void readOnlyCall_passesThroughUnrecorded() {
        log.start();
        ListAlertsResponse answer = ListAlertsResponse.getDefaultInstance();

        FakeCall<ListAlertsRequest, ListAlertsResponse> call = run(AlertServiceGrpc.getListAlertsMethod(),
                ListAlertsRequest.newBuilder().setProjectId("p1").build(), answer, Status.OK, null);
        log.flush(WAIT);

        assertThat(call.sent).containsExactly(answer);
        assertThat(appender.events()).isEmpty();
    }

    /** One unary call through the interceptor to a service that answers {@code answer} and closes with {@code status}. */
    private <Q, A> FakeCall<Q, A> run(MethodDescriptor<Q, A> method, Q request, A answer, Status status, Caller caller) {
        FakeCall<Q, A> call = new FakeCall<>(method);
        Context context = caller == null ? Context.current() : Context.current().withValue(CallerContext.KEY, caller);
        context.run(() -> {
            ServerCall.Listener<Q> listener = interceptor.interceptCall(call, new Metadata(), service(answer, status));
            listener.onMessage(request);
            listener.onHalfClose();
        });
        return call;
    }

    /** A unary service method that sends {@code answer} (if any) and closes with {@code status}. */
    private static <Q, A> ServerCallHandler<Q, A> service(A answer, Status status) {
        return (ServerCall<Q, A> inner, Metadata headers) -> new ServerCall.Listener<Q>() {
            @Override
            public void onHalfClose() {
                inner.sendHeaders(new Metadata());
                if (answer != null) {
                    inner.sendMessage(answer);
                }
                inner.close(status, new Metadata());
            }
        };
    }

    /** What reaches the client. */
    private static final class FakeCall<Q, A> extends ServerCall<Q, A> {
        private final MethodDescriptor<Q, A> method;
        final List<A> sent = new ArrayList<>();
        Status closedWith;

        FakeCall(MethodDescriptor<Q, A> method) {
            this.method = method;
        }

        @Override
        public void request(int numMessages) {}

        @Override
        public void sendHeaders(Metadata headers) {}

        @Override
        public void sendMessage(A message) {
            sent.add(message);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            closedWith = status;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public Attributes getAttributes() {
            return Attributes.EMPTY;
        }

        @Override
        public MethodDescriptor<Q, A> getMethodDescriptor() {
            return method;
        }
    }
}
