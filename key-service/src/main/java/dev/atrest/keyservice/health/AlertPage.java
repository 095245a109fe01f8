package dev.atrest.keyservice.health;

import dev.atrest.keyservice.domain.Alert;
import dev.atrest.keyservice.domain.PageTokens;
import dev.atrest.keyservice.domain.Violations;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * One page of a project's alerts, newest first. The position in the page token is the last alert's opened
 * time in microseconds and its row id.
 */
public record AlertPage(List<Item> alerts, String nextPageToken) {
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
        return new AlertPage(page, PageTokens.encode(
                ChronoUnit.MICROS.between(Instant.EPOCH, last.alert().openedTime()) + ":" + last.id()));
    }

    /** Where the previous page ended; {@code Position.NONE} for the first page. */
    public static Position decodeToken(String token, Violations violations) {
        if (token == null || token.isEmpty()) {
            return Position.NONE;
        }
        Optional<Position> position = PageTokens.decode(token).flatMap(AlertPage::position);
        if (position.isEmpty()) {
            PageTokens.refuse(violations, "ListAlerts");
        }
        return position.orElse(Position.NONE);
    }

    private static Optional<Position> position(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 2) {
            return Optional.empty();
        }
        try {
            long micros = Long.parseLong(parts[0]);
            long id = Long.parseLong(parts[1]);
            return micros >= 0 && id > 0
                    ? Optional.of(new Position(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), id))
                    : Optional.empty();
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }
}
