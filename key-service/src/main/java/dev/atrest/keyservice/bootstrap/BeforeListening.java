package dev.atrest.keyservice.bootstrap;

import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.crypto.SecretSealer;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.vertx.grpc.VertxServerBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The start-up refusals again, inside Quarkus, at the last moment before the gRPC port opens: Quarkus
 * starts the separate gRPC server before it fires StartupEvent, so a check observing that event runs
 * while calls are already served (development mode off loopback served every caller as an
 * administrator for seconds). {@link StartupChecks} refuses the same before Quarkus even starts; this
 * covers starts that do not go through KeyServiceMain (tests, dev mode). Taking the {@link SecretSealer}
 * loads the seal key now: a service without its seal key never listens.
 */
@ApplicationScoped
class BeforeListening implements ServerBuilderCustomizer<VertxServerBuilder> {
    private final boolean developmentMode;
    private final String grpcHost;

    BeforeListening(AtrestConfig config, SecretSealer sealKeyLoaded,
                    @ConfigProperty(name = "quarkus.grpc.server.host") String grpcHost) {
        this.developmentMode = config.auth().developmentMode();
        this.grpcHost = grpcHost;
    }

    @Override
    public void customize(GrpcServerConfiguration config, VertxServerBuilder builder) {
        if (developmentMode) {
            AccessStartup.refuseUnlessLoopback(grpcHost);
        }
    }

    /** Before GrpcTls, so that a refusal is the first thing said. */
    @Override
    public int priority() {
        return 100;
    }
}
