package dev.atrest.keyservice.access;

import dev.atrest.keyservice.audit.AuditEvent;
import dev.atrest.keyservice.audit.AuditLog;
import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.domain.AtrestException;
import dev.atrest.keyservice.grpc.TooManyRefusalsException;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * What refused calls may cost: each caller's refusals are rate-limited ({@link RefusalLimiter}; over the
 * limit, RESOURCE_EXHAUSTED with RetryInfo) and their audit records coalesced ({@link RefusalRecords}).
 * A caller is its principal when known (a wrong role or project), else its peer address. Admitted calls
 * spend nothing and are never limited; an unknown token from a peer over its limit is answered before
 * the database is asked about it.
 *
 * <p>A singleton, not a client proxy: refusals are still answered while the container shuts down.
 */
@Singleton
public class RefusalGuard {
    /** How long a credential that admitted a call lets its peer past that peer's exhausted bucket. */
    static final Duration ADMITTED_TTL = Duration.ofMinutes(10);
    static final String THROTTLED = "refused calls over atrest.refusals.rate-per-second: answered without authentication";

    private static final Logger LOG = Logger.getLogger(RefusalGuard.class);

    private final RefusalLimiter limiter;
    private final RefusalRecords records;
    private final AdmittedCredentials admitted;
    private ScheduledExecutorService ticker;

    @Inject
    RefusalGuard(AuditLog auditLog, AtrestConfig config, Clock clock) {
        // A refusal stands whether or not the audit log can take it: a full queue is logged loudly, not thrown.
        this(auditLog::recordFact, clock, checked(config.refusals()));
        ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "atrest-refusals");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    RefusalGuard(Consumer<AuditEvent> audit, Clock clock, AtrestConfig.Refusals settings) {
        this.limiter = new RefusalLimiter(settings.ratePerSecond(), settings.burst(), settings.maxTrackedCallers(),
                System::nanoTime);
        this.records = new RefusalRecords(audit, clock, settings.auditWindow(), settings.maxTrackedCallers());
        this.admitted = new AdmittedCredentials(ADMITTED_TTL, settings.maxTrackedCallers(), System::nanoTime);
    }

    /**
     * Before authentication: throws {@link TooManyRefusalsException} when {@code peer} is over its limit
     * and the call's token has not admitted a call lately (checking it would cost a database read).
     */
    void throttleBeforeAuthentication(String peer, String authorization, Supplier<AuditEvent> call) {
        if (authorization == null) {
            return; // no token: authentication costs nothing, and its refusal is limited below
        }
        Optional<Duration> wait = limiter.waitFor(peer);
        if (wait.isPresent() && !admitted.contains(authorization)) {
            throw throttled(peer, call.get(), wait.get());
        }
    }

    /** The call was admitted with {@code authorization} (null: without a token). */
    void admitted(String authorization) {
        if (authorization != null) {
            admitted.remember(authorization);
        }
    }

    /**
     * A call was refused: spends one of {@code caller}'s refusals and records it (coalesced).
     *
     * @return what to answer: the refusal itself, or {@link TooManyRefusalsException} over the limit
     */
    RuntimeException refused(String caller, AtrestException refusal, AuditEvent event) {
        Optional<Duration> wait = limiter.take(caller);
        if (wait.isPresent()) {
            return throttled(caller, event, wait.get());
        }
        records.refused(caller, event);
        return refusal;
    }

    private TooManyRefusalsException throttled(String caller, AuditEvent call, Duration wait) {
        records.refused(caller, new AuditEvent(call.actor(), call.action(), call.resource(), "RESOURCE_EXHAUSTED",
                THROTTLED + " (" + caller + ")"));
        return new TooManyRefusalsException(wait);
    }

    /** Records every coalesced count still open; at shutdown, before the audit log drains (priority 2500). */
    void closeAtShutdown(@Observes @Priority(1000) ShutdownEvent shutdown) {
        records.closeAll();
    }

    /** Closes due audit windows and forgets recovered callers; every second. */
    void tick() {
        try {
            records.closeDue();
            limiter.sweep();
            admitted.forgetExpired();
        } catch (RuntimeException e) {
            LOG.errorf(e, "refusal bookkeeping failed; retrying in a second");
        }
    }

    /** Records every open window's count now (tests: instead of waiting for the window). */
    void closeWindows() {
        records.closeAll();
    }

    @PreDestroy
    void stop() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }

    /** Settings that never limit and never coalesce: every refusal recorded on its own. */
    static AtrestConfig.Refusals unlimited() {
        return new AtrestConfig.Refusals() {
            @Override
            public double ratePerSecond() {
                return 1e9;
            }

            @Override
            public int burst() {
                return Integer.MAX_VALUE;
            }

            @Override
            public Duration auditWindow() {
                return Duration.ZERO;
            }

            @Override
            public int maxTrackedCallers() {
                return 10_000;
            }
        };
    }

    private static AtrestConfig.Refusals checked(AtrestConfig.Refusals settings) {
        checkSettings(settings);
        return settings;
    }

    /** @throws IllegalStateException naming the setting whose value makes no sense */
    public static void checkSettings(AtrestConfig.Refusals refusals) {
        if (!(refusals.ratePerSecond() > 0)) {
            throw new IllegalStateException("atrest.refusals.rate-per-second must be above 0, not " + refusals.ratePerSecond());
        }
        if (refusals.burst() < 1) {
            throw new IllegalStateException("atrest.refusals.burst must be at least 1, not " + refusals.burst());
        }
        if (refusals.auditWindow().isNegative()) {
            throw new IllegalStateException("atrest.refusals.audit-window must not be negative, not " + refusals.auditWindow());
        }
        if (refusals.maxTrackedCallers() < 1) {
            throw new IllegalStateException("atrest.refusals.max-tracked-callers must be at least 1, not "
                    + refusals.maxTrackedCallers());
        }
    }
}
