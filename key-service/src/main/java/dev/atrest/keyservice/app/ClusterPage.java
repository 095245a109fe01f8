package dev.atrest.keyservice.app;

import dev.atrest.keyservice.domain.ClusterEncryption;
import dev.atrest.keyservice.domain.InputRules;
import dev.atrest.keyservice.domain.Violations;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * One page of clusters. The page token is the last name returned, base64url-encoded: keyset
 * pagination, so pages stay correct while clusters are added or removed.
 */
public record ClusterPage(List<ClusterEncryption> clusters, String nextPageToken) {
    static final int DEFAULT_SIZE = 50;
    static final int MAX_SIZE = 500;

    /** {@code rows} holds up to {@code size + 1} rows; the extra one only says another page exists. */
    static ClusterPage of(List<ClusterEncryption> rows, int size) {
        if (rows.size() <= size) {
            return new ClusterPage(rows, "");
        }
        List<ClusterEncryption> page = rows.subList(0, size);
        String last = page.get(size - 1).clusterName();
        return new ClusterPage(page, Base64.getUrlEncoder().withoutPadding()
                .encodeToString(last.getBytes(StandardCharsets.UTF_8)));
    }

    static String decodeToken(String token, Violations violations) {
        if (token == null || token.isEmpty()) {
            return "";
        }
        try {
            String name = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            Violations nameCheck = new Violations();
            InputRules.requireId(nameCheck, "page_token", name);
            if (nameCheck.isEmpty()) {
                return name;
            }
        } catch (IllegalArgumentException notBase64) {
            // reported below
        }
        violations.add("page_token", "must be a next_page_token returned by ListClusterEncryptions");
        return "";
    }
}
