package dev.atrest.keyservice.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.audit.AuditEvent;
import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.domain.Caller;
import dev.atrest.keyservice.domain.Role;
import dev.atrest.keyservice.domain.UnauthenticatedException;
import dev.atrest.keyservice.grpc.CallerContext;
import dev.atrest.keyservice.grpc.ShutdownDrain;
import dev.atrest.v1.AccessServiceGrpc;
import dev.atrest.v1.DatabaseKeyServiceGrpc;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.WhoAmIRequest;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The interceptor alone, with a hand-made call and service handler: a refused call never starts the
 * service's side (no message, no half-close reaches it) and is audited; an admitted one carries its caller.
 */
class AccessInterceptorTest {
    private static final Caller ADMIN = new Caller("token:tok-a", Set.of(Role.ADMIN), Set.of("p1"), false);
    private static final GetDatabaseKeyRequest GET_KEY = GetDatabaseKeyRequest.newBuilder()
            .setProjectId("p1").setClusterName("c1").setDatabaseName("orders").build();

    private final List<AuditEvent> audited = new ArrayList<>();
    private final RecordingService service = new RecordingService();

    @Test
    void refusedCall_wrongRole_closedPermissionDeniedAndNothingReachesTheService() {
        FakeCall<GetDatabaseKeyRequest> call = new FakeCall<>(DatabaseKeyServiceGrpc.getGetDatabaseKeyMethod());
        ServerCall.Listener<GetDatabaseKeyRequest> listener = interceptor((headers, tls) -> ADMIN)
                .interceptCall(call, new Metadata(), service.handler());

        listener.onMessage(GET_KEY);
        listener.onHalfClose();
        listener.onComplete();

        assertThat(call.closedWith.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(service.events).isEmpty();
        assertThat(audited).containsExactly(new AuditEvent("token:tok-a", "atrest.v1.DatabaseKeyService/GetDatabaseKey",
                "projects/p1/clusters/c1/databases/orders", "PERMISSION_DENIED",
                "token:tok-a needs the role KEY_CONSUMER on project 'p1'"));
    }

    @Test
    void refusedCall_noIdentity_closedUnauthenticatedAndAuditedAsAnonymous() {
        FakeCall<GetDatabaseKeyRequest> call = new FakeCall<>(DatabaseKeyServiceGrpc.getGetDatabaseKeyMethod());
        ServerCall.Listener<GetDatabaseKeyRequest> listener = interceptor((headers, tls) -> {
            throw new UnauthenticatedException("revoked token tok-r");
        }).interceptCall(call, new Metadata(), service.handler());

        listener.onMessage(GET_KEY);
        listener.onHalfClose();

        assertThat(call.closedWith.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(call.closedWith.getDescription()).isEqualTo("revoked token tok-r");
        assertThat(service.events).isEmpty();
        assertThat(audited).extracting(AuditEvent::actor, AuditEvent::outcome, AuditEvent::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("anonymous", "UNAUTHENTICATED", "revoked token tok-r (peer:unknown)"));
    }

    @Test
    void admittedCall_reachesTheServiceWithItsCaller() {
        FakeCall<WhoAmIRequest> call = new FakeCall<>(AccessServiceGrpc.getWhoAmIMethod());
        ServerCall.Listener<WhoAmIRequest> listener = interceptor((headers, tls) -> ADMIN)
                .interceptCall(call, new Metadata(), service.handler());

        listener.onMessage(WhoAmIRequest.getDefaultInstance());
        listener.onHalfClose();

        assertThat(call.closedWith).isNull();
        assertThat(service.events).containsExactly("start as token:tok-a", "message as token:tok-a",
                "halfClose as token:tok-a");
        assertThat(audited).isEmpty();
    }

    @Test
    void developmentMode_everyoneIsTheDevelopmentCaller() {
        FakeCall<GetDatabaseKeyRequest> call = new FakeCall<>(DatabaseKeyServiceGrpc.getGetDatabaseKeyMethod());
        ServerCall.Listener<GetDatabaseKeyRequest> listener = new AccessInterceptor((authorization, tls) -> {
            throw new AssertionError("development mode authenticates no one");
        }, audited::add, true).interceptCall(call, new Metadata(), service.handler());

        listener.onMessage(GET_KEY);

        assertThat(service.events).containsExactly("start as development", "message as development");
    }

    @Test
    void refusedCalls_overTheLimit_resourceExhaustedWithoutAuthenticatingAndCoalesced() {
        AtomicInteger authentications = new AtomicInteger();
        AccessInterceptor limited = new AccessInterceptor((authorization, tls) -> {
            authentications.incrementAndGet();
            throw new UnauthenticatedException("unknown bearer token");
        }, new RefusalGuard(audited::add, Clock.systemUTC(), limits(2, 3)), false);
        Metadata badToken = new Metadata();
        badToken.put(CallAuthenticator.AUTHORIZATION, "Bearer atrest_unknown");

        List<Status> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            FakeCall<GetDatabaseKeyRequest> call = new FakeCall<>(DatabaseKeyServiceGrpc.getGetDatabaseKeyMethod());
            limited.interceptCall(call, badToken, service.handler()).onMessage(GET_KEY);
            answers.add(call.closedWith);
        }

        assertThat(answers).extracting(Status::getCode).containsExactly(Status.Code.UNAUTHENTICATED,
                Status.Code.UNAUTHENTICATED, Status.Code.UNAUTHENTICATED, Status.Code.RESOURCE_EXHAUSTED,
                Status.Code.RESOURCE_EXHAUSTED, Status.Code.RESOURCE_EXHAUSTED, Status.Code.RESOURCE_EXHAUSTED,
                Status.Code.RESOURCE_EXHAUSTED, Status.Code.RESOURCE_EXHAUSTED, Status.Code.RESOURCE_EXHAUSTED);
        assertThat(authentications).as("over the limit nothing is looked up").hasValue(3);
        assertThat(audited).extracting(AuditEvent::outcome).containsExactly("UNAUTHENTICATED", "RESOURCE_EXHAUSTED");
        assertThat(service.events).isEmpty();
    }

    @Test
    void admittedCall_peerOverTheLimit_aTokenThatWorkedBeforeStillGetsIn() {
        Metadata good = new Metadata();
        good.put(CallAuthenticator.AUTHORIZATION, "Bearer atrest_good");
        AccessInterceptor limited = new AccessInterceptor((authorization, tls) -> {
            if (!"Bearer atrest_good".equals(authorization)) {
                throw new UnauthenticatedException("unknown bearer token");
            }
            return ADMIN;
        }, new RefusalGuard(audited::add, Clock.systemUTC(), limits(1, 1)), false);
        FakeCall<WhoAmIRequest> before = new FakeCall<>(AccessServiceGrpc.getWhoAmIMethod());
        limited.interceptCall(before, good, service.handler()).onMessage(WhoAmIRequest.getDefaultInstance());
        Metadata bad = new Metadata();
        bad.put(CallAuthenticator.AUTHORIZATION, "Bearer atrest_bad");
        for (int i = 0; i < 5; i++) {
            limited.interceptCall(new FakeCall<>(AccessServiceGrpc.getWhoAmIMethod()), bad, service.handler())
                    .onMessage(WhoAmIRequest.getDefaultInstance());
        }

        FakeCall<WhoAmIRequest> during = new FakeCall<>(AccessServiceGrpc.getWhoAmIMethod());
        limited.interceptCall(during, good, service.handler()).onMessage(WhoAmIRequest.getDefaultInstance());

        assertThat(during.closedWith).isNull();
        assertThat(service.events).containsExactly("start as token:tok-a", "message as token:tok-a",
                "start as token:tok-a", "message as token:tok-a");
    }

    @Test
    void shuttingDown_failureInFlightEndsUnavailableAndNewCallsAreTurnedAway() {
        ShutdownDrain drain = new ShutdownDrain();
        AccessInterceptor interceptor = new AccessInterceptor((authorization, tls) -> ADMIN,
                new RefusalGuard(audited::add, Clock.systemUTC(), RefusalGuard.unlimited()), drain, false);
        FakeCall<WhoAmIRequest> inFlight = new FakeCall<>(AccessServiceGrpc.getWhoAmIMethod());
        ServerCall.Listener<WhoAmIRequest> listener = interceptor.interceptCall(inFlight, new Metadata(),
                (call, headers) -> new ServerCall.Listener<>() {
                    @Override
                    public void onHalfClose() {
                        throw new IllegalStateException("the datasource is closed");
                    }
                });
        listener.onMessage(WhoAmIRequest.getDefaultInstance());

        drain.onShutdown(null);
        listener.onHalfClose();
        FakeCall<WhoAmIRequest> late = new FakeCall<>(AccessServiceGrpc.getWhoAmIMethod());
        interceptor.interceptCall(late, new Metadata(), service.handler());

        assertThat(inFlight.closedWith.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(inFlight.closedWith.getDescription()).contains("shutting down");
        assertThat(late.closedWith.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(service.events).isEmpty();
    }

    @Test
    void shuttingDown_internalAnswerInFlightEndsUnavailable() {
        ShutdownDrain drain = new ShutdownDrain();
        FakeCall<WhoAmIRequest> call = new FakeCall<>(AccessServiceGrpc.getWhoAmIMethod());
        drain.onShutdown(null);

        drain.watch(call).close(Status.INTERNAL.withDescription("internal error 1234"), new Metadata());

        assertThat(call.closedWith.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }

    private static AtrestConfig.Refusals limits(double ratePerSecond, int burst) {
        return new AtrestConfig.Refusals() {
            @Override
            public double ratePerSecond() {
                return ratePerSecond;
            }

            @Override
            public int burst() {
                return burst;
            }

            @Override
            public Duration auditWindow() {
                return Duration.ofSeconds(60);
            }

            @Override
            public int maxTrackedCallers() {
                return 100;
            }
        };
    }

    private AccessInterceptor interceptor(CallAuthentication authentication) {
        return new AccessInterceptor(authentication, audited::add, false);
    }

    /** The service's side of a call: records what reaches it and who it sees as the caller. */
    private static final class RecordingService {
        final List<String> events = new ArrayList<>();

        <Q, R> ServerCallHandler<Q, R> handler() {
            return (call, headers) -> {
                events.add("start as " + CallerContext.current().principal());
                return new ServerCall.Listener<>() {
                    @Override
                    public void onMessage(Q message) {
                        events.add("message as " + CallerContext.current().principal());
                    }

                    @Override
                    public void onHalfClose() {
                        events.add("halfClose as " + CallerContext.current().principal());
                    }
                };
            };
        }
    }

    private static final class FakeCall<Q> extends ServerCall<Q, Object> {
        private final MethodDescriptor<Q, ?> method;
        Status closedWith;

        FakeCall(MethodDescriptor<Q, ?> method) {
            this.method = method;
        }

        @Override
        public void request(int numMessages) {
        }

        @Override
        public void sendHeaders(Metadata headers) {
        }

        @Override
        public void sendMessage(Object message) {
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
        @SuppressWarnings("unchecked")
        public MethodDescriptor<Q, Object> getMethodDescriptor() {
            return (MethodDescriptor<Q, Object>) method;
        }

        @Override
        public Attributes getAttributes() {
            return Attributes.EMPTY;
        }
    }
}
