package dev.atrest.keyservice.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How often a cluster's master key rotates. Whether a rotation is due is a pure function of the stored
 * creation time of the active master key and the time now: nothing is scheduled in memory, so rotation
 * keeps happening across restarts, and a due check run twice (or on two replicas) gives the same answer.
 *
 * @param periodDays days of 24 hours (not calendar days), {@value #MIN_PERIOD_DAYS} to {@value #MAX_PERIOD_DAYS}
 */
public record RotationPolicy(int periodDays) {
    public static final String FIELD = "rotation_period_days";
    public static final int DEFAULT_PERIOD_DAYS = 90;
    public static final int MIN_PERIOD_DAYS = 1;
    /** Ten years: far beyond any sensible policy, and keeps every computed time inside a protobuf Timestamp. */
    public static final int MAX_PERIOD_DAYS = 3650;
    public static final RotationPolicy DEFAULT = new RotationPolicy(DEFAULT_PERIOD_DAYS);

    private static final String RULE = "must be between " + MIN_PERIOD_DAYS + " and " + MAX_PERIOD_DAYS + " days";

    public RotationPolicy {
        if (periodDays < MIN_PERIOD_DAYS || periodDays > MAX_PERIOD_DAYS) {
            throw InvalidArgumentException.of(FIELD, RULE);
        }
    }

    /** Checks a requested period where the request names the field differently (e.g. with a message prefix). */
    public static void check(Violations violations, String field, int periodDays) {
        if (periodDays < MIN_PERIOD_DAYS || periodDays > MAX_PERIOD_DAYS) {
            violations.add(field, RULE);
        }
    }

    public Duration period() {
        return Duration.ofDays(periodDays);
    }

    /** When a master key created at {@code activeKeyCreated} becomes due; it is due only once strictly older. */
    public Instant nextRotationTime(Instant activeKeyCreated) {
        return Objects.requireNonNull(activeKeyCreated, "activeKeyCreated").plus(period());
    }

    /** Whether the active master key is older than the period. A key from the future (clock skew) is not due. */
    public boolean isDue(Instant activeKeyCreated, Instant now) {
        return now.isAfter(nextRotationTime(activeKeyCreated));
    }
}
