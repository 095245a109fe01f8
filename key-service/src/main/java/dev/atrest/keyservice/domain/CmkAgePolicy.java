package dev.atrest.keyservice.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a project's CMK counts as overdue for rotation, which opens CMK_ROTATION_OVERDUE. The age runs
 * from {@code cmk_last_changed_time}, so changing the CMK resets it and the alert closes on the next check.
 *
 * @param alertDays days of 24 hours (not calendar days), {@value #MIN_ALERT_DAYS} to {@value #MAX_ALERT_DAYS}
 */
public record CmkAgePolicy(int alertDays) {
    public static final String FIELD = "cmk_rotation_alert_days";
    public static final int DEFAULT_ALERT_DAYS = 365;
    public static final int MIN_ALERT_DAYS = 1;
    /** Ten years: far beyond any sensible policy, and keeps every computed time inside a protobuf Timestamp. */
    public static final int MAX_ALERT_DAYS = 3650;
    public static final CmkAgePolicy DEFAULT = new CmkAgePolicy(DEFAULT_ALERT_DAYS);

    private static final String RULE = "must be between " + MIN_ALERT_DAYS + " and " + MAX_ALERT_DAYS + " days";

    public CmkAgePolicy {
        if (alertDays < MIN_ALERT_DAYS || alertDays > MAX_ALERT_DAYS) {
            throw InvalidArgumentException.of(FIELD, RULE);
        }
    }

    /** Checks a requested threshold where the request names the field differently (e.g. with a message prefix). */
    public static void check(Violations violations, String field, int alertDays) {
        if (alertDays < MIN_ALERT_DAYS || alertDays > MAX_ALERT_DAYS) {
            violations.add(field, RULE);
        }
    }

    public Duration threshold() {
        return Duration.ofDays(alertDays);
    }

    /** The instant after which a CMK last changed at {@code cmkLastChangedTime} is overdue. */
    public Instant overdueAfter(Instant cmkLastChangedTime) {
        return Objects.requireNonNull(cmkLastChangedTime, "cmkLastChangedTime").plus(threshold());
    }

    /**
     * Whether the CMK has gone unchanged for longer than the threshold. A project that has never had a
     * CMK ({@code null}) has nothing to rotate.
     */
    public boolean isOverdue(Instant cmkLastChangedTime, Instant now) {
        return cmkLastChangedTime != null && now.isAfter(overdueAfter(cmkLastChangedTime));
    }
}
