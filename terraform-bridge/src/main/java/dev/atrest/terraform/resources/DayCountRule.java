package dev.atrest.terraform.resources;

import dev.atrest.terraform.provider.Diagnostics;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The service's rule for day counts a configuration may set ({@code rotation_period_days},
 * {@code cmk_rotation_alert_days}): whole days, at least 1, sent as int32. On the wire 0 means "keep the
 * stored value", so a 0 (or less) from a configuration must never reach the service: it would be read as
 * "no change" and Terraform would record a value the service never took.
 */
final class DayCountRule {

    static final int MIN_DAYS = 1;
    /** The key service's limit too (ten years): beyond it a computed time would leave a protobuf Timestamp. */
    static final int MAX_DAYS = 3650;

    private DayCountRule() {
    }

    /** Checks {@code object[name]} when known; null (the service's default) and unknown pass. */
    static void check(Map<String, Object> object, String name, Diagnostics diagnostics) {
        if (!(object.get(name) instanceof BigDecimal days)) {
            return;
        }
        String problem = problem(days);
        if (problem != null) {
            diagnostics.attributeError(name, "invalid " + name,
                    name + " must be " + problem + "; got " + days.toPlainString());
        }
    }

    /** The value for the request: the known whole number of days, or 0 (the service keeps or defaults it). */
    static int toService(Map<String, Object> planned, String name) {
        return planned.get(name) instanceof BigDecimal days && problem(days) == null ? days.intValueExact() : 0;
    }

    /** What the rule asks that {@code days} lacks, or null when it is fine. */
    private static String problem(BigDecimal days) {
        if (days.signum() != 0 && days.stripTrailingZeros().scale() > 0) {
            return "a whole number of days";
        }
        if (days.compareTo(BigDecimal.valueOf(MIN_DAYS)) < 0) {
            return "at least " + MIN_DAYS + " day";
        }
        if (days.compareTo(BigDecimal.valueOf(MAX_DAYS)) > 0) {
            return "at most " + MAX_DAYS + " days";
        }
        return null;
    }
}
