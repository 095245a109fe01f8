package dev.atrest.keyservice.cluster;

import dev.atrest.keyservice.domain.ClusterEncryption;
import dev.atrest.keyservice.domain.InputRules;
import dev.atrest.keyservice.domain.PageTokens;
import dev.atrest.keyservice.domain.Violations;
import java.util.List;
import java.util.Optional;

/** One page of clusters, by name. The position in the page token is the last name returned. */
public record ClusterPage(List<ClusterEncryption> clusters, String nextPageToken) {
    /** {@code rows} holds up to {@code size + 1} rows; the extra one only says another page exists. */
    static ClusterPage of(List<ClusterEncryption> rows, int size) {
        if (rows.size() <= size) {
            return new ClusterPage(rows, "");
        }
        List<ClusterEncryption> page = rows.subList(0, size);
        return new ClusterPage(page, PageTokens.encode(page.get(size - 1).clusterName()));
    }

    /** The name the previous page ended with; "" for the first page. */
    public static String decodeToken(String token, Violations violations) {
        if (token == null || token.isEmpty()) {
            return "";
        }
        Optional<String> name = PageTokens.decode(token);
        if (name.isPresent()) {
            Violations nameCheck = new Violations();
            InputRules.requireId(nameCheck, "page_token", name.get());
            if (nameCheck.isEmpty()) {
                return name.get();
            }
        }
        PageTokens.refuse(violations, "ListClusterEncryptions");
        return "";
    }
}
