package dev.atrest.keyservice.audit;

/**
 * The audit_record columns' sizes (V4__audit_log.sql), applied before a record is chained: a record too
 * long for its column would fail its batch again at every retry and stop the log, so every field is cut to
 * fit (at a character boundary) and the cut is marked.
 */
public final class RecordLimits {
    static final int ACTOR = 255;
    static final int ACTION = 255;
    static final int RESOURCE = 512;
    static final int OUTCOME = 64;
    static final int DETAIL = 1024;
    private static final String CUT = "…";

    private RecordLimits() {}

    static AuditEvent fit(AuditEvent event) {
        return new AuditEvent(cut(event.actor(), ACTOR), cut(event.action(), ACTION), cut(event.resource(), RESOURCE),
                cut(event.outcome(), OUTCOME), cut(event.detail(), DETAIL));
    }

    /** {@code text} in at most {@code max} characters (code points, as utf8mb4 VARCHAR counts them). */
    public static String cut(String text, int max) {
        // A string never has more code points than chars: the usual short field needs no count.
        if (text.length() <= max || text.codePointCount(0, text.length()) <= max) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, max - 1)) + CUT;
    }
}
