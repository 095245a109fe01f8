package dev.atrest.keyservice.snapshot;

import dev.atrest.keyservice.domain.InputRules;
import dev.atrest.keyservice.domain.PageTokens;
import dev.atrest.keyservice.domain.Snapshot;
import dev.atrest.keyservice.domain.Violations;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * One page of a cluster's snapshots, newest first. The position in the page token is the last snapshot's
 * create time and id: (create_time, snapshot_id) is unique within a cluster.
 */
public record SnapshotPage(List<Snapshot> snapshots, String nextPageToken) {
    /** Where the previous page ended. */
    record After(Instant createTime, String snapshotId) {}

    /** {@code rows} holds up to {@code size + 1} snapshots; the extra one only says another page exists. */
    static SnapshotPage of(List<Snapshot> rows, int size) {
        if (rows.size() <= size) {
            return new SnapshotPage(rows, "");
        }
        List<Snapshot> page = rows.subList(0, size);
        Snapshot last = page.get(size - 1);
        return new SnapshotPage(page, PageTokens.encode(last.createTime() + "/" + last.id()));
    }

    /** Where the previous page ended; empty for the first page. */
    public static Optional<After> decodeToken(String token, Violations violations) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        Optional<After> after = PageTokens.decode(token).flatMap(SnapshotPage::after);
        if (after.isEmpty()) {
            PageTokens.refuse(violations, "ListSnapshots");
        }
        return after;
    }

    private static Optional<After> after(String position) {
        int slash = position.lastIndexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        try {
            After after = new After(Instant.parse(position.substring(0, slash)), position.substring(slash + 1));
            Violations idCheck = new Violations();
            InputRules.requireId(idCheck, "page_token", after.snapshotId());
            return idCheck.isEmpty() ? Optional.of(after) : Optional.empty();
        } catch (DateTimeParseException notOurs) {
            return Optional.empty();
        }
    }
}
