package dev.atrest.keyservice.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.domain.KmsUnavailableException;
import dev.atrest.keyservice.domain.PreconditionFailedException;
import dev.atrest.keyservice.domain.PreconditionFailedException.Reason;
import dev.atrest.keyservice.kms.KmsBreaker.State;
import dev.atrest.testsupport.Awaits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which failures open a breaker, that open means KMS is not asked, the metric, and the background probe
 * that closes it. Probes come after a minute (never, in a test), except in the probe test: 20 ms apart.
 */
class KmsBreakersTest {
    private static final String REGION = "eu-west-1";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicBoolean kmsAnswersProbe = new AtomicBoolean(false);
    private final AtomicInteger probes = new AtomicInteger();
    private KmsBreakers breakers = breakers(3, Duration.ofMinutes(1));

    @AfterEach
    void stopProber() {
        breakers.stop();
    }

    @Test
    void call_unreachableThresholdTimes_nextCallRefusedWithoutReachingKms() {
        AtomicInteger kmsCalls = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> breakers.call(REGION, unreachable(kmsCalls)))
                    .isInstanceOfSatisfying(KmsUnavailableException.class, e -> assertThat(e.refusedWithoutCall()).isFalse());
        }

        assertThatThrownBy(() -> breakers.call(REGION, unreachable(kmsCalls)))
                .isInstanceOfSatisfying(KmsUnavailableException.class, e -> assertThat(e.refusedWithoutCall()).isTrue());
        assertThat(kmsCalls).hasValue(3);
        assertThat(breakers.state(REGION)).isEqualTo(State.OPEN);
    }

    @Test
    void call_kmsSaysTheKeyCannotBeUsed_neverOpens() {
        AtomicInteger kmsCalls = new AtomicInteger();
        Supplier<String> disabledKey = () -> {
            kmsCalls.incrementAndGet();
            throw new PreconditionFailedException(Reason.ENCRYPTION_AT_REST_SETTINGS_INVALID,
                    "the customer master key cannot be used: DisabledException", Map.of());
        };
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> breakers.call(REGION, disabledKey)).isInstanceOf(PreconditionFailedException.class);
        }

        assertThat(kmsCalls).hasValue(10);
        assertThat(breakers.state(REGION)).isEqualTo(State.CLOSED);
    }

    @Test
    void call_anotherRegionDown_thisRegionStillCalled() {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> breakers.call("us-east-1", unreachable(new AtomicInteger())))
                    .isInstanceOf(KmsUnavailableException.class);
        }

        assertThat(breakers.call(REGION, () -> "answered")).isEqualTo("answered");
        assertThat(breakers.state("us-east-1")).isEqualTo(State.OPEN);
    }

    @Test
    void call_thresholdZero_breakerOff() {
        breakers.stop();
        breakers = breakers(0, Duration.ofMinutes(1));
        AtomicInteger kmsCalls = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> breakers.call(REGION, unreachable(kmsCalls)))
                    .isInstanceOfSatisfying(KmsUnavailableException.class, e -> assertThat(e.refusedWithoutCall()).isFalse());
        }

        assertThat(kmsCalls).hasValue(10);
    }

    @Test
    void call_open_metricSaysOpenWithEndpointAndRegion() {
        breakers.call(REGION, () -> "answered");
        assertThat(gauge()).isEqualTo(0.0);

        open();

        assertThat(gauge()).isEqualTo(1.0);
    }

    @Test
    void probe_kmsBack_closesWithoutACall() {
        breakers.stop();
        breakers = breakers(3, Duration.ofMillis(20));
        open();
        Awaits.until("a few failed probes", Duration.ofSeconds(10), () -> probes.get() >= 2);
        assertThat(breakers.state(REGION)).isNotEqualTo(State.CLOSED);

        kmsAnswersProbe.set(true);

        Awaits.until("the breaker closed by a probe", Duration.ofSeconds(10),
                () -> breakers.state(REGION) == State.CLOSED);
        assertThat(gauge()).isEqualTo(0.0);
        assertThat(breakers.call(REGION, () -> "answered")).isEqualTo("answered");
    }

    @Test
    void constructor_maxBackoffShorterThanProbeInterval_refusedNamingTheSettings() {
        AtrestConfig.Kms.Breaker policy = new AtrestConfig.Kms.Breaker() {
            public int failureThreshold() { return 3; }
            public Duration probeInterval() { return Duration.ofSeconds(5); }
            public Duration maxBackoff() { return Duration.ofSeconds(1); }
        };

        assertThatThrownBy(() -> new KmsBreakers(policy, region -> null, endpoint -> true, Clock.systemUTC(), registry))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("atrest.kms.breaker.probe-interval").hasMessageContaining("max-backoff");
    }

    private void open() {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> breakers.call(REGION, unreachable(new AtomicInteger())))
                    .isInstanceOf(KmsUnavailableException.class);
        }
    }

    private double gauge() {
        return registry.get("atrest.kms.breaker.state").tag("region", REGION)
                .tag("endpoint", "https://kms." + REGION + ".example").gauge().value();
    }

    private static Supplier<String> unreachable(AtomicInteger kmsCalls) {
        return () -> {
            kmsCalls.incrementAndGet();
            throw new KmsUnavailableException("AWS KMS could not be reached (SdkClientException)", null);
        };
    }

    private KmsBreakers breakers(int threshold, Duration probeInterval) {
        AtrestConfig.Kms.Breaker policy = new AtrestConfig.Kms.Breaker() {
            public int failureThreshold() { return threshold; }
            public Duration probeInterval() { return probeInterval; }
            public Duration maxBackoff() { return probeInterval.multipliedBy(2); }
        };
        return new KmsBreakers(policy, region -> new KmsEndpoint("https://kms." + region + ".example", region),
                endpoint -> {
                    probes.incrementAndGet();
                    return kmsAnswersProbe.get();
                }, Clock.systemUTC(), registry);
    }
}
