package dev.atrest.keyservice.bootstrap;

import dev.atrest.keyservice.access.BootstrapToken;
import dev.atrest.keyservice.config.AtrestConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Authentication at start-up: either the explicit development mode (no authentication, loopback only,
 * said loudly) or the bootstrap admin token, so that a new deployment has one way in.
 */
@ApplicationScoped
class AccessStartup {
    static final String BOOTSTRAP_FILE_NAME = "bootstrap-admin-token";
    private static final Logger LOG = Logger.getLogger(AccessStartup.class);

    private final AtrestConfig config;
    private final BootstrapToken bootstrapToken;

    AccessStartup(AtrestConfig config, BootstrapToken bootstrapToken) {
        this.config = config;
        this.bootstrapToken = bootstrapToken;
    }

    void onStart(@Observes StartupEvent started) {
        if (config.auth().developmentMode()) {
            // Refused long before this (StartupChecks, BeforeListening) unless gRPC listens on loopback.
            LOG.warn("""

                    ************************************************************************************
                    *  DEVELOPMENT MODE: AUTHENTICATION IS OFF (atrest.auth.development-mode=true).    *
                    *  Every caller is an administrator AND a key consumer of EVERY project: anyone    *
                    *  who can reach the gRPC port can read every database key.                        *
                    *  Allowed on a loopback address only. Never use this in production.               *
                    ************************************************************************************""");
            return;
        }
        bootstrapToken.createIfNone(bootstrapFile(config));
    }

    static Path bootstrapFile(AtrestConfig config) {
        return config.auth().bootstrapTokenFile().orElse(config.dataDir().resolve(BOOTSTRAP_FILE_NAME));
    }

    static void refuseUnlessLoopback(String host) {
        boolean loopback;
        try {
            loopback = InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            loopback = false;
        }
        if (!loopback) {
            throw new IllegalStateException("atrest.auth.development-mode=true turns authentication off, so it is"
                    + " allowed only while gRPC listens on a loopback address, but quarkus.grpc.server.host is '"
                    + host + "': bind to 127.0.0.1 or turn development mode off");
        }
    }
}
