package dev.atrest.keyservice.access;

import dev.atrest.keyservice.audit.AuditEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Audit records of refused calls, coalesced per caller, method and outcome over a window: the first
 * refusal is recorded at once, the others of the window become one record with their count when the
 * window closes ({@link #closeDue}, or {@link #closeAll} at shutdown). A flood of refusals then costs a
 * few records, not one each, and the log still shows who was refused, where, how often and when. The
 * number of open windows is bounded like the limiter's table: past it, callers share one window.
 */
final class RefusalRecords {
    private record Key(String caller, String method, String outcome) {}

    private static final class Window {
        final Instant opened;
        final AuditEvent first;
        long more;
        Instant last;
        String lastDetail;

        Window(Instant opened, AuditEvent first) {
            this.opened = opened;
            this.first = first;
        }
    }

    private final Consumer<AuditEvent> audit;
    private final Clock clock;
    private final Duration window;
    private final int maxWindows;
    private final Map<Key, Window> windows = new ConcurrentHashMap<>();

    /** @param window 0 records every refusal on its own */
    RefusalRecords(Consumer<AuditEvent> audit, Clock clock, Duration window, int maxWindows) {
        this.audit = audit;
        this.clock = clock;
        this.window = window;
        this.maxWindows = maxWindows;
    }

    /** @param caller who is refused, as the limiter knows it: "peer:&lt;address&gt;" or the principal */
    void refused(String caller, AuditEvent event) {
        if (window.isZero()) {
            audit.accept(event);
            return;
        }
        Instant now = clock.instant();
        String callerKey = windows.size() >= maxWindows ? RefusalLimiter.OVERFLOW : caller;
        Key key = new Key(callerKey, event.action(), event.outcome());
        List<Window> closed = new ArrayList<>(1);
        boolean[] opened = new boolean[1];
        windows.compute(key, (k, open) -> {
            if (open != null && now.isBefore(open.opened.plus(window))) {
                open.more++;
                open.last = now;
                open.lastDetail = event.detail();
                return open;
            }
            if (open != null) {
                closed.add(open);
            }
            opened[0] = true;
            return new Window(now, event);
        });
        // Recorded outside compute(): a full audit queue may make recording wait.
        closed.forEach(w -> summarize(key, w));
        if (opened[0]) {
            audit.accept(event);
        }
    }

    /** Records the count of every window that has closed by now. */
    void closeDue() {
        Instant now = clock.instant();
        windows.forEach((key, open) -> {
            if (!now.isBefore(open.opened.plus(window)) && windows.remove(key, open)) {
                summarize(key, open);
            }
        });
    }

    /** Records the count of every open window: at shutdown. */
    void closeAll() {
        windows.forEach((key, open) -> {
            if (windows.remove(key, open)) {
                summarize(key, open);
            }
        });
    }

    private void summarize(Key key, Window closed) {
        // Taken out of the map under its lock first, so no refusal changes it any more.
        long more = closed.more;
        if (more == 0) {
            return;
        }
        AuditEvent first = closed.first;
        audit.accept(new AuditEvent(first.actor(), first.action(), first.resource(), first.outcome(),
                more + " more refusal" + (more == 1 ? "" : "s") + " like this of " + key.caller() + " from "
                        + closed.opened + " to " + closed.last + " (coalesced); the last: " + closed.lastDetail));
    }
}
