package dev.atrest.keyservice.grpc;

import dev.atrest.keyservice.config.AtrestConfig;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.grpc.runtime.health.GrpcHealthStorage;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.HttpsServerStart;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.Prioritized;
import java.util.List;
import java.util.Map;

/**
 * The gRPC health check says SERVING only once the whole service has started. Quarkus opens the separate gRPC
 * server, and its health service answers SERVING, first; then it runs the StartupEvent checks (the audit anchor,
 * the token ledger, the bootstrap token); only then does the Vault API's HTTP port listen. An orchestrator, or a
 * test, that started a MariaDB as soon as atrest said SERVING found nothing on the vault URL (connection refused,
 * and MariaDB refused to start). Until both have happened, every SERVING answer of the health service,
 * {@code Check} or {@code Watch}, goes out as NOT_SERVING.
 */
@GlobalInterceptor
@ApplicationScoped
public class ServingOnceStarted implements ServerInterceptor, Prioritized {
    /** Before the access interceptor: the health service needs no token, and this answers before anything else. */
    static final int PRIORITY = 2_000_000_100;
    private final Instance<GrpcHealthStorage> health;
    private volatile boolean startupObserved;
    private volatile boolean vaultApiListening;
    private volatile boolean started;

    ServingOnceStarted(AtrestConfig config, Instance<GrpcHealthStorage> health) {
        this.health = health;
        this.vaultApiListening = !config.vaultApi().enabled(); // off: nothing to wait for
    }

    /** After every other StartupEvent observer (the default priority is 2500). */
    void onStartup(@Observes @Priority(Integer.MAX_VALUE - 1) StartupEvent startup) {
        startupObserved = true;
        announceWhenStarted();
    }

    void onVaultApiListening(@ObservesAsync HttpServerStart listening) {
        vaultApiListening = true;
        announceWhenStarted();
    }

    /** With atrest.tls.* set, the Vault API listens on HTTPS only. */
    void onVaultApiListening(@ObservesAsync HttpsServerStart listening) {
        vaultApiListening = true;
        announceWhenStarted();
    }

    private synchronized void announceWhenStarted() {
        if (started || !startupObserved || !vaultApiListening) {
            return;
        }
        if (!health.isResolvable()) {
            started = true;
            return;
        }
        GrpcHealthStorage storage = health.get();
        List<String> serving = storage.getStatuses().entrySet().stream()
                .filter(status -> status.getValue() == ServingStatus.SERVING).map(Map.Entry::getKey).toList();
        // A Watch stream drops a status equal to the last one it sent, and the last one it sent was SERVING
        // (NOT_SERVING only on the wire): NOT_SERVING, then SERVING, so that it is told.
        serving.forEach(service -> storage.setStatus(service, ServingStatus.NOT_SERVING));
        started = true;
        serving.forEach(service -> storage.setStatus(service, ServingStatus.SERVING));
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        if (started || !HealthGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())) {
            return next.startCall(call, headers);
        }
        return next.startCall(new SimpleForwardingServerCall<>(call) {
            @Override
            @SuppressWarnings("unchecked") // the health service's only response type
            public void sendMessage(RespT message) {
                if (!started && message instanceof HealthCheckResponse response
                        && response.getStatus() == ServingStatus.SERVING) {
                    message = (RespT) response.toBuilder().setStatus(ServingStatus.NOT_SERVING).build();
                }
                super.sendMessage(message);
            }
        }, headers);
    }
}
