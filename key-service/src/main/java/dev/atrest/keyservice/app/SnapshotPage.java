package dev.atrest.keyservice.app;

import dev.atrest.keyservice.domain.InputRules;
import dev.atrest.keyservice.domain.Snapshot;
import dev.atrest.keyservice.domain.Violations;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * One page of a cluster's snapshots, newest first. The page token is the last snapshot's create time
 * and id, base64url-encoded: keyset pagination on (create_time, snapshot_id), which is unique within a
 * cluster, so pages stay correct while snapshots are registered or released.
 */
public record SnapshotPage(List<Snapshot> snapshots, String nextPageToken) {
    static final int DEFAULT_SIZE = 50;
    static final int MAX_SIZE = 500;

    /** Where the previous page ended. */
    record After(Instant createTime, String snapshotId) {}

    /** {@code rows} holds up to {@code size + 1} snapshots; the extra one only says another page exists. */
    static SnapshotPage of(List<Snapshot> rows, int size) {
        if (rows.size() <= size) {
            return new SnapshotPage(rows, "");
        }
        List<Snapshot> page = rows.subList(0, size);
        Snapshot last = page.get(size - 1);
        String token = last.createTime() + "/" + last.id();
        return new SnapshotPage(page, Base64.getUrlEncoder().withoutPadding()
                .encodeToString(token.getBytes(StandardCharsets.UTF_8)));
    }

    static void checkSize(Violations violations, int pageSize) {
        if (pageSize < 0 || pageSize > MAX_SIZE) {
            violations.add("page_size", "must be between 0 and " + MAX_SIZE + " (0 means " + DEFAULT_SIZE + ")");
        }
    }

    static Optional<After> decodeToken(String token, Violations violations) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int slash = text.lastIndexOf('/');
            if (slash > 0) {
                After after = new After(Instant.parse(text.substring(0, slash)), text.substring(slash + 1));
                Violations idCheck = new Violations();
                InputRules.requireId(idCheck, "page_token", after.snapshotId());
                if (idCheck.isEmpty()) {
                    return Optional.of(after);
                }
            }
        } catch (IllegalArgumentException | DateTimeParseException notOurs) {
            // reported below, without echoing the token
        }
        violations.add("page_token", "must be a next_page_token returned by ListSnapshots");
        return Optional.empty();
    }
}
