package dev.atrest.terraform.provider;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Terraform users write them in {@code timeouts} blocks: Go's {@code time.ParseDuration} syntax
 * ({@code "30s"}, {@code "5m"}, {@code "1h2m"}, {@code "1.5h"}, {@code "300ms"}), so a value that works with
 * any other provider works here. Signs are refused: no timeout is negative.
 */
public final class GoDuration {

    private static final Pattern WHOLE = Pattern.compile("(?:[0-9]+(?:\\.[0-9]*)?(?:ns|us|µs|ms|s|m|h)|\\.[0-9]+(?:ns|us|µs|ms|s|m|h))+");
    private static final Pattern PART = Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|ms|s|m|h)");
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L,
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {
    }

    /** The duration, or null when {@code text} is not Go duration syntax ("0" alone is zero, as in Go). */
    public static Duration parse(String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        if (!WHOLE.matcher(text).matches()) {
            return null;
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher part = PART.matcher(text);
        while (part.find()) {
            nanos = nanos.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(part.group(2)))));
        }
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return null; // Go refuses more than about 292 years too
        }
        return Duration.ofNanos(nanos.longValue());
    }

    /** The way Go prints it, shortened: "5m", "1h2m", "90s" reads as "1m30s", "1.5s". */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        StringBuilder text = new StringBuilder();
        long hours = duration.toHours();
        long minutes = duration.toMinutesPart();
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (minutes > 0) {
            text.append(minutes).append('m');
        }
        Duration rest = duration.minusHours(hours).minusMinutes(minutes);
        if (!rest.isZero()) {
            text.append(BigDecimal.valueOf(rest.toNanos(), 9).stripTrailingZeros().toPlainString()).append('s');
        }
        return text.toString();
    }
}
