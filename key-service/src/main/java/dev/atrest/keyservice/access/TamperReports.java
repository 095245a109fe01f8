package dev.atrest.keyservice.access;

import dev.atrest.keyservice.audit.AuditEvent;
import dev.atrest.keyservice.audit.AuditLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Says that the token tables were changed behind the service's back, where an operator looks: an ERROR line
 * in the service log, an audit record (action {@value #ACTION}, resource "tokens/&lt;id&gt;", outcome
 * {@value #OUTCOME}) and the counter {@code atrest.access.tokens.tampered}. Never a secret: the id, and
 * what was wrong. Alerts are not used: they belong to one project, a token to none or many.
 *
 * <p>Whoever planted a row holds its secret and can call with it as often as they like: the same finding is
 * reported once per {@link #REPEAT_AFTER} (the counter counts every one), so refusals cannot flood the log.
 */
@ApplicationScoped
public class TamperReports {
    public static final String ACTION = "access-token.integrity";
    public static final String OUTCOME = "TAMPERED";
    static final Duration REPEAT_AFTER = Duration.ofMinutes(10);
    private static final Logger LOG = Logger.getLogger(TamperReports.class);
    private static final int MAX_REMEMBERED = 10_000;

    private final AuditLog audit;
    private final Clock clock;
    private final Counter counter;
    private final Map<String, Instant> lastReported = new ConcurrentHashMap<>();

    TamperReports(AuditLog audit, Clock clock, MeterRegistry registry) {
        this.audit = audit;
        this.clock = clock;
        this.counter = Counter.builder("atrest.access.tokens.tampered")
                .description("access-token rows or revocation-ledger entries found changed outside the service")
                .register(registry);
    }

    /**
     * @param tokenId the token concerned, or "" for the ledger as a whole
     * @param problem what was wrong, in words; no secret
     */
    public void report(String tokenId, String problem) {
        counter.increment();
        String id = printable(tokenId);
        Instant now = clock.instant();
        Instant last = lastReported.get(id + '\n' + problem);
        if (last != null && now.isBefore(last.plus(REPEAT_AFTER))) {
            return;
        }
        if (lastReported.size() >= MAX_REMEMBERED) {
            lastReported.clear();
        }
        lastReported.put(id + '\n' + problem, now);
        LOG.errorf("access token integrity: %s%s; refused and reported (someone with write access to the database"
                + " changed it: see docs/security.md)", id.isEmpty() ? "" : "token " + id + ": ", problem);
        audit.recordFact(AuditEvent.byService(ACTION, id.isEmpty() ? "tokens" : "tokens/" + id, OUTCOME, problem));
    }

    /** An id read from a tampered row may hold anything: never let it write control characters to a log. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().limit(64).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
