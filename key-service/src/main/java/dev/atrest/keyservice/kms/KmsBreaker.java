package dev.atrest.keyservice.kms;

import dev.atrest.keyservice.domain.KmsUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The circuit breaker of one KMS endpoint. CLOSED: calls go to KMS; after {@code failureThreshold}
 * consecutive calls that could not reach it (timeouts, refused connections, throttling and 5xx after the
 * SDK's retries) it opens. OPEN: calls are refused at once, with the time to the next probe, instead of
 * each waiting out the KMS timeouts. When the probe is due it is HALF_OPEN: one trial (the background
 * probe, or whichever real call comes first) goes to KMS; success closes it, failure opens it again
 * with the wait doubled up to {@code maxBackoff}. Any call that reaches KMS closes it, and KMS's
 * answers about a key (disabled, access denied, not found) reach it: they are never failures here.
 */
public final class KmsBreaker {
    /** The metric's values: 0 closed, 1 open, 2 half-open. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    /** How a call admitted by the breaker ended. */
    enum Outcome {
        /** KMS answered, with a result or a verdict on the key. */
        REACHED,
        /** KMS could not be reached (KmsUnavailableException). */
        UNREACHABLE,
        /** The call failed before it could tell (a bug, an interrupt): says nothing about KMS. */
        ABANDONED
    }

    /** Told of each change of state, under the breaker's lock: logs, and schedules the next probe. */
    interface Listener {
        void changed(KmsBreaker breaker, State from, State to);
    }

    private final KmsEndpoint endpoint;
    private final int failureThreshold;
    private final Duration probeInterval;
    private final Duration maxBackoff;
    private final Clock clock;
    private final Listener listener;
    private volatile State state = State.CLOSED;
    private int consecutiveFailures;
    private Duration backoff;
    private Instant nextProbe = Instant.MIN;

    KmsBreaker(KmsEndpoint endpoint, int failureThreshold, Duration probeInterval, Duration maxBackoff, Clock clock,
               Listener listener) {
        if (failureThreshold < 1 || probeInterval.isNegative() || probeInterval.isZero()
                || maxBackoff.compareTo(probeInterval) < 0) {
            throw new IllegalArgumentException("a breaker needs a threshold of at least 1 and 0 < probe interval"
                    + " <= max backoff");
        }
        this.endpoint = endpoint;
        this.failureThreshold = failureThreshold;
        this.probeInterval = probeInterval;
        this.maxBackoff = maxBackoff;
        this.clock = clock;
        this.listener = listener;
        this.backoff = probeInterval;
    }

    public KmsEndpoint endpoint() {
        return endpoint;
    }

    public State state() {
        return state;
    }

    /**
     * Lets a call go to KMS, or refuses it at once.
     *
     * @return true when the call is the one trial of a half-open breaker; report its end with {@link #finished}
     * @throws KmsUnavailableException while open (before the next probe is due) or while a trial is under way
     */
    synchronized boolean admit() {
        if (state == State.CLOSED) {
            return false;
        }
        Instant now = clock.instant();
        if (state == State.OPEN && !now.isBefore(nextProbe)) {
            change(State.HALF_OPEN);
            return true;
        }
        Duration retryAfter = state == State.OPEN ? Duration.between(now, nextProbe) : probeInterval;
        throw KmsUnavailableException.refusedWhileDown("AWS KMS at " + endpoint + " is not answering: "
                + (state == State.OPEN ? "the last " + consecutiveFailures + " calls failed"
                        : "a probe is under way") + ", so calls that need it are refused until it answers again"
                + " (next try in " + Math.max(1, (retryAfter.toMillis() + 999) / 1000) + " s); nothing was changed,"
                + " retry later", retryAfter, endpoint.labels());
    }

    /** Ends a call {@link #admit} let through. */
    synchronized void finished(boolean trial, Outcome outcome) {
        switch (outcome) {
            case REACHED -> {
                consecutiveFailures = 0;
                backoff = probeInterval;
                if (state != State.CLOSED) {
                    change(State.CLOSED);
                }
            }
            case UNREACHABLE -> {
                consecutiveFailures++;
                if (state == State.CLOSED && consecutiveFailures >= failureThreshold) {
                    open(probeInterval);
                } else if (trial && state == State.HALF_OPEN) {
                    open(backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2));
                }
            }
            case ABANDONED -> {
                if (trial && state == State.HALF_OPEN) {
                    open(Duration.ZERO, backoff); // no news: the next call or probe tries again
                }
            }
        }
    }

    /** How long until a probe is due; zero when one is due now or the breaker is not open. */
    synchronized Duration untilProbe() {
        Duration left = Duration.between(clock.instant(), nextProbe);
        return state != State.OPEN || left.isNegative() ? Duration.ZERO : left;
    }

    /** The failures in a row that opened it, or since it last closed. */
    synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    private void open(Duration wait) {
        open(wait, wait);
    }

    private void open(Duration wait, Duration newBackoff) {
        backoff = newBackoff;
        nextProbe = clock.instant().plus(wait);
        change(State.OPEN);
    }

    private void change(State to) {
        State from = state;
        state = to;
        listener.changed(this, from, to);
    }
}
