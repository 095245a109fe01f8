package dev.atrest.keyservice.datakey;

import com.google.protobuf.ByteString;
import dev.atrest.v1.DatabaseKey;
import dev.atrest.v1.GetDatabaseKeyRequest;
import java.util.Arrays;

/** The one message that carries key material: a released database key. Never log or print it. */
final class DatabaseKeyMessages {
    private DatabaseKeyMessages() {}

    static DatabaseKey toMessage(GetDatabaseKeyRequest request, ReleasedDatabaseKey released) {
        byte[] plaintext = released.key().copyBytes();
        try {
            // Protobuf keeps its own immutable copy, which cannot be zeroed; it lives until the response is sent.
            return DatabaseKey.newBuilder()
                    .setProjectId(request.getProjectId())
                    .setClusterName(request.getClusterName())
                    .setDatabaseName(request.getDatabaseName())
                    .setVersion(released.version())
                    .setMasterKeyVersion(released.masterKeyVersion())
                    .setKey(ByteString.copyFrom(plaintext))
                    .build();
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }
}
