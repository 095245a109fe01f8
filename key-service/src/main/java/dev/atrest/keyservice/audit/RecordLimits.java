package dev.atrest.keyservice.audit;

/**
 * What every new record's fields go through before it is chained: control characters escaped
 * ({@link ControlCharacters}), then the audit_record columns' sizes (V4__audit_log.sql) applied: a record too
 * long for its column would fail its batch again at every retry and stop the log, so every field is cut to
 * fit (at a character boundary) and the cut is marked. Escaping comes first, so the escapes count too.
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
        return new AuditEvent(safe(event.actor(), ACTOR), safe(event.action(), ACTION),
                safe(event.resource(), RESOURCE), safe(event.outcome(), OUTCOME), safe(event.detail(), DETAIL));
    }

    private static String safe(String field, int max) {
        return cut(ControlCharacters.escape(field), max);
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
