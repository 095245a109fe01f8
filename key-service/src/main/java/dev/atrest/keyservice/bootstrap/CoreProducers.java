package dev.atrest.keyservice.bootstrap;

import dev.atrest.keyservice.crypto.KeyWrapper;
import dev.atrest.keyservice.crypto.SecretSealer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/** Time, randomness and the seal key are injected so that tests can drive them. */
@ApplicationScoped
public class CoreProducers {

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

    @Produces
    @Singleton
    SecretSealer secretSealer(
            AtrestConfig config,
            KeyWrapper wrapper,
            SecureRandom random) {
        return new SecretSealer(
                SealKeySource.load(config.seal(), config.dataDir(), config.embeddedDb().active(), random), wrapper);
    }
}
