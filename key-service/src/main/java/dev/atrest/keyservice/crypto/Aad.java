package dev.atrest.keyservice.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Canonical associated data: a purpose label followed by length-prefixed fields, so that no two
 * different field lists can encode to the same bytes ("ab","c" vs "a","bc").
 */
public final class Aad {
    private Aad() {}

    public static byte[] of(String purpose, String... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeField(out, purpose);
        for (String field : fields) {
            writeField(out, field);
        }
        return out.toByteArray();
    }

    /** The AAD binding a wrapped database key to its place in the hierarchy. */
    public static byte[] forDatabaseKey(
            String projectId, String clusterName, String databaseName, int keyVersion, int masterKeyVersion) {
        return of("atrest.v1/database-key", projectId, clusterName, databaseName,
                Integer.toString(keyVersion), Integer.toString(masterKeyVersion));
    }

    private static void writeField(ByteArrayOutputStream out, String field) {
        byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >>> 24);
        out.write(bytes.length >>> 16);
        out.write(bytes.length >>> 8);
        out.write(bytes.length);
        out.write(bytes, 0, bytes.length);
    }
}
