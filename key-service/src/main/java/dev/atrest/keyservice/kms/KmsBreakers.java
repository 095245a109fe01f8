package dev.atrest.keyservice.kms;

import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.domain.AtrestException;
import dev.atrest.keyservice.domain.KmsUnavailableException;
import dev.atrest.keyservice.kms.KmsBreaker.Outcome;
import dev.atrest.keyservice.kms.KmsBreaker.State;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A {@link KmsBreaker} per KMS endpoint and region, made on first use (regions are validated input, so
 * there are few), each exported as {@code atrest_kms_breaker_state{endpoint,region}} (0 closed, 1 open,
 * 2 half-open), and the background probes that close them: an open breaker is probed when its wait is
 * over, on one daemon thread, whether or not calls come.
 */
@Startup // settings that cannot work stop the service at start, not at the first KMS call
@ApplicationScoped
public class KmsBreakers {
    private static final Logger LOG = Logger.getLogger(KmsBreakers.class);

    private final AtrestConfig.Kms.Breaker policy;
    private final Function<String, KmsEndpoint> endpoints;
    private final Predicate<KmsEndpoint> probe;
    private final Clock clock;
    private final MeterRegistry registry;
    private final ConcurrentMap<KmsEndpoint, KmsBreaker> breakers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "kms-breaker-probe");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    KmsBreakers(AtrestConfig config, AwsClients clients, KmsProbe probe, Clock clock, MeterRegistry registry) {
        this(config.kms().breaker(), clients::endpoint, probe::answers, clock, registry);
    }

    /** @param probe whether KMS answers at an endpoint now (one cheap call, bounded in time) */
    KmsBreakers(AtrestConfig.Kms.Breaker policy, Function<String, KmsEndpoint> endpoints,
                Predicate<KmsEndpoint> probe, Clock clock, MeterRegistry registry) {
        if (policy.failureThreshold() > 0 && (policy.probeInterval().isNegative() || policy.probeInterval().isZero()
                || policy.maxBackoff().compareTo(policy.probeInterval()) < 0)) {
            throw new IllegalStateException("atrest.kms.breaker.probe-interval (" + policy.probeInterval()
                    + ") must be positive and at most atrest.kms.breaker.max-backoff (" + policy.maxBackoff() + ")");
        }
        this.policy = policy;
        this.endpoints = endpoints;
        this.probe = probe;
        this.clock = clock;
        this.registry = registry;
    }

    /**
     * Runs {@code call} (which reaches KMS in {@code region} and throws KmsUnavailableException when it
     * cannot) through that endpoint's breaker: refused at once while it is open.
     */
    public <T> T call(String region, Supplier<T> call) {
        if (policy.failureThreshold() <= 0) {
            return call.get();
        }
        KmsBreaker breaker = breakers.computeIfAbsent(endpoints.apply(region), this::create);
        boolean trial = breaker.admit();
        Outcome outcome = Outcome.ABANDONED;
        try {
            T result = call.get();
            outcome = Outcome.REACHED;
            return result;
        } catch (KmsUnavailableException unreachable) {
            outcome = Outcome.UNREACHABLE;
            throw unreachable;
        } catch (AtrestException answered) {
            outcome = Outcome.REACHED; // KMS's verdict on the key: it is there
            throw answered;
        } finally {
            breaker.finished(trial, outcome);
        }
    }

    /** The breaker's state for {@code region}'s endpoint; CLOSED when no call went there yet. */
    public State state(String region) {
        KmsBreaker breaker = breakers.get(endpoints.apply(region));
        return breaker == null ? State.CLOSED : breaker.state();
    }

    @PreDestroy
    void stop() {
        prober.shutdownNow();
    }

    private KmsBreaker create(KmsEndpoint endpoint) {
        KmsBreaker breaker = new KmsBreaker(endpoint, policy.failureThreshold(), policy.probeInterval(),
                policy.maxBackoff(), clock, this::changed);
        Gauge.builder("atrest.kms.breaker.state", breaker, b -> b.state().ordinal())
                .tag("endpoint", endpoint.url()).tag("region", endpoint.region())
                .description("The KMS circuit breaker of an endpoint and region: 0 closed, 1 open (calls that need"
                        + " KMS refused at once), 2 half-open (one trial call or probe under way)")
                .strongReference(true).register(registry);
        return breaker;
    }

    private void changed(KmsBreaker breaker, State from, State to) {
        switch (to) {
            case OPEN -> {
                Duration wait = breaker.untilProbe();
                if (from == State.CLOSED) {
                    LOG.warnf("KMS at %s: %d calls in a row could not reach it; calls that need it are refused at"
                            + " once until a probe reaches it (first probe in %d ms)", breaker.endpoint(),
                            breaker.consecutiveFailures(), wait.toMillis());
                } else {
                    LOG.warnf("KMS at %s still does not answer; next probe in %d ms", breaker.endpoint(),
                            wait.toMillis());
                }
                schedule(breaker, wait);
            }
            case HALF_OPEN -> LOG.debugf("KMS at %s: trying one call", breaker.endpoint());
            case CLOSED -> LOG.infof("KMS at %s answers again; calls that need it go through", breaker.endpoint());
        }
    }

    private void schedule(KmsBreaker breaker, Duration wait) {
        if (!prober.isShutdown()) {
            prober.schedule(() -> probe(breaker), Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
        }
    }

    private void probe(KmsBreaker breaker) {
        boolean trial;
        try {
            trial = breaker.admit();
        } catch (KmsUnavailableException notNow) {
            // Half-open: a real call is the trial, and its end closes or reopens (which schedules a probe).
            // Open: this ran a moment early.
            if (breaker.state() == State.OPEN) {
                schedule(breaker, breaker.untilProbe().plusMillis(1));
            }
            return;
        }
        if (!trial) {
            return; // closed meanwhile by a call that reached KMS
        }
        Outcome outcome = Outcome.ABANDONED;
        try {
            outcome = probe.test(breaker.endpoint()) ? Outcome.REACHED : Outcome.UNREACHABLE;
        } catch (RuntimeException e) {
            outcome = Outcome.UNREACHABLE; // not ABANDONED: that would probe again at once, and fail the same way
            LOG.warnf(e, "KMS at %s: the probe failed", breaker.endpoint());
        } finally {
            breaker.finished(true, outcome);
        }
    }
}
