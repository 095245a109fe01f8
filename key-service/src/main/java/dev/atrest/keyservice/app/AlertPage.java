package dev.atrest.keyservice.app;

import dev.atrest.keyservice.domain.Alert;
import dev.atrest.keyservice.domain.Violations;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

/**
 * One page of a project's alerts, newest first. The page token is the position (opened time in
 * microseconds, row id) of the last alert returned, base64url-encoded: keyset pagination, so pages
 * stay correct while alerts open and close.
 */
public record AlertPage(List<Item> alerts, String nextPageToken) {
    static final int DEFAULT_SIZE = 50;
    static final int MAX_SIZE = 500;

    /** An alert with its row id, which callers see as alert_id. */
    public record Item(long id, Alert alert) {}

    /** Where the previous page ended; {@code NONE} for the first page. */
    record Position(Instant openedTime, Long id) {
        static final Position NONE = new Position(null, null);
    }

    /** {@code items} holds up to {@code size + 1} alerts; the extra one only says another page exists. */
    static AlertPage of(List<Item> items, int size) {
        if (items.size() <= size) {
            return new AlertPage(items, "");
        }
        List<Item> page = items.subList(0, size);
        Item last = page.get(size - 1);
        String position = ChronoUnit.MICROS.between(Instant.EPOCH, last.alert().openedTime()) + ":" + last.id();
        return new AlertPage(page, Base64.getUrlEncoder().withoutPadding()
                .encodeToString(position.getBytes(StandardCharsets.US_ASCII)));
    }

    static Position decodeToken(String token, Violations violations) {
        if (token == null || token.isEmpty()) {
            return Position.NONE;
        }
        try {
            String position = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
            String[] parts = position.split(":", -1);
            if (parts.length == 2) {
                long micros = Long.parseLong(parts[0]);
                long id = Long.parseLong(parts[1]);
                if (micros >= 0 && id > 0) {
                    return new Position(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), id);
                }
            }
        } catch (IllegalArgumentException notAToken) { // bad base64 or number: reported below
        }
        violations.add("page_token", "must be a next_page_token returned by ListAlerts");
        return Position.NONE;
    }
}
