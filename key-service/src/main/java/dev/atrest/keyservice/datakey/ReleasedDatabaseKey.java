package dev.atrest.keyservice.datakey;

import dev.atrest.keyservice.crypto.KeyMaterial;
import java.time.Instant;

/**
 * A database key handed out: its plaintext (close it when sent), which versions it is, and when this
 * version was made (Vault's metadata.created_time).
 */
public record ReleasedDatabaseKey(KeyMaterial key, int version, int masterKeyVersion, Instant createTime)
        implements AutoCloseable {
    @Override
    public void close() {
        key.close();
    }
}
