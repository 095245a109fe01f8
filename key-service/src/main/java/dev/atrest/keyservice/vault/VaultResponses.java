package dev.atrest.keyservice.vault;

import dev.atrest.keyservice.datakey.ReleasedDatabaseKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The bodies of Vault's API that engines parse, in Vault's shape. The key read's body is built as bytes with
 * the key in hex in the middle, never as a String: a String cannot be cleared, and the key would then live
 * in the heap until collected. The bytes handed to the HTTP layer are its own copy, as protobuf's are for
 * GetDatabaseKey.
 */
final class VaultResponses {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private VaultResponses() {}

    /** {@code GET /v1/<mount>/data/<id>}: the key as KV v2 secret data, under the field "data". */
    static byte[] secret(ReleasedDatabaseKey released) {
        Instant created = null; // released.createTime() once datakey carries it (h-rotate)
        String head = "{\"request_id\":\"" + UUID.randomUUID() + "\",\"lease_id\":\"\",\"renewable\":false,"
                + "\"lease_duration\":0,\"data\":{\"data\":{\"data\":\"";
        String tail = "\"},\"metadata\":{\"created_time\":\""
                + (created == null ? "" : DateTimeFormatter.ISO_INSTANT.format(created))
                + "\",\"custom_metadata\":null,\"deletion_time\":\"\",\"destroyed\":false,\"version\":"
                + released.version() + "}},\"wrap_info\":null,\"warnings\":null,\"auth\":null}";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] tailBytes = tail.getBytes(StandardCharsets.US_ASCII);
        byte[] key = released.key().copyBytes();
        byte[] body = new byte[headBytes.length + key.length * 2 + tailBytes.length];
        try {
            System.arraycopy(headBytes, 0, body, 0, headBytes.length);
            int at = headBytes.length;
            for (byte b : key) {
                body[at++] = HEX[(b >> 4) & 0xf];
                body[at++] = HEX[b & 0xf];
            }
            System.arraycopy(tailBytes, 0, body, at, tailBytes.length);
            return body;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** {@code GET /v1/sys/mounts/<mount>/tune}: a KV version 2 mount (Vault answers both at the top and under "data"). */
    static String mountTune(VaultMount mount) {
        String options = "{\"default_lease_ttl\":0,\"max_lease_ttl\":0,\"force_no_cache\":false,"
                + "\"description\":\"atrest database keys of cluster " + mount.clusterName() + " of project "
                + mount.projectId() + " (read-only)\",\"options\":{\"version\":\"2\"}";
        return options + ",\"data\":" + options + "}}";
    }

    /** Vault's error body: {@code {"errors":["..."]}}. */
    static String errors(List<String> messages) {
        StringBuilder body = new StringBuilder("{\"errors\":[");
        for (int i = 0; i < messages.size(); i++) {
            body.append(i == 0 ? "\"" : ",\"");
            appendEscaped(body, messages.get(i));
            body.append('"');
        }
        return body.append("]}").toString();
    }

    /** JSON string escaping: quote, backslash and control characters. */
    private static void appendEscaped(StringBuilder json, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
    }
}
