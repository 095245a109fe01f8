package dev.atrest.keyservice.bootstrap;

import dev.atrest.keyservice.access.TokenMacs;
import dev.atrest.keyservice.audit.AuditChain;
import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.crypto.KeyWrapper;
import dev.atrest.keyservice.crypto.SecretSealer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.jboss.logging.Logger;

/** Time, randomness and the seal key are injected so that tests can drive them. */
@ApplicationScoped
public class CoreProducers {
    private static final Logger LOG = Logger.getLogger(CoreProducers.class);
    /** The HKDF info of the audit log's MAC key; changing it breaks every stored chain. */
    static final String AUDIT_KEY_PURPOSE = "atrest audit log v1";
    /** The HKDF info of the access-token MAC key; changing it makes every stored token row a forgery. */
    static final String TOKEN_KEY_PURPOSE = "atrest access token v1";

    @Produces
    @Singleton
    Clock clock() {
        // MariaDB keeps microseconds: a response must show the same instant a later read returns.
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }

    @Produces
    @Singleton
    SecureRandom secureRandom() {
        return new SecureRandom();
    }

    @Produces
    @Singleton
    KeyWrapper keyWrapper(SecureRandom random) {
        return new KeyWrapper(random);
    }

    /**
     * Loads the seal key at start-up, not at the first request that needs it: a service without its
     * seal key must not come up looking healthy.
     */
    void loadSealKeyNow(@Observes StartupEvent started, SecretSealer sealer) {
        LOG.debug("seal key loaded");
    }

    @Produces
    @Singleton
    SecretSealer secretSealer(
            AtrestConfig config,
            KeyWrapper wrapper,
            SecureRandom random) {
        return new SecretSealer(
                SealKeySource.load(config.seal(), config.dataDir(), config.embeddedDb().active(), random), wrapper);
    }

    /**
     * The audit log's MAC key comes from the seal key, which is never in the database: someone who can
     * only write to the database cannot re-forge the chain after changing a record.
     */
    @Produces
    @Singleton
    AuditChain auditChain(SecretSealer sealer) {
        try (KeyMaterial macKey = sealer.deriveKey(AUDIT_KEY_PURPOSE)) {
            return new AuditChain(macKey);
        }
    }

    /**
     * Access-token rows and the revocation ledger are MAC'd under a key from the seal key too, a key of their
     * own: write access to the database alone cannot make a token work or bring a revoked one back.
     */
    @Produces
    @Singleton
    TokenMacs tokenMacs(SecretSealer sealer) {
        try (KeyMaterial macKey = sealer.deriveKey(TOKEN_KEY_PURPOSE)) {
            return new TokenMacs(macKey);
        }
    }
}
