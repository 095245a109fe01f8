package dev.atrest.keyservice.domain;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The paging rules every List method shares: page sizes (0 means {@value #DEFAULT_SIZE}, at most
 * {@value #MAX_SIZE}) and the page token, which is the position of the last item returned (keyset
 * pagination, so pages stay correct while rows come and go), base64url-encoded without padding. Each list
 * decides what its position is; only this class knows how it travels.
 */
public final class PageTokens {
    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;

    private PageTokens() {}

    /** The size to read: {@code pageSize}, or the default for 0; adds a violation when out of range. */
    public static int size(Violations violations, int pageSize) {
        if (pageSize < 0 || pageSize > MAX_SIZE) {
            violations.add("page_size", "must be between 0 and " + MAX_SIZE + " (0 means " + DEFAULT_SIZE + ")");
        }
        return pageSize == 0 ? DEFAULT_SIZE : pageSize;
    }

    public static String encode(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a token carries; empty for the first page (no token) and for text that is no token at all. */
    public static Optional<String> decode(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    /** Reports a token this service did not issue, without echoing it. */
    public static void refuse(Violations violations, String listMethod) {
        violations.add("page_token", "must be a next_page_token returned by " + listMethod);
    }
}
