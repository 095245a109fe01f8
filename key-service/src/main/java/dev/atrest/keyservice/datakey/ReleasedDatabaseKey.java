package dev.atrest.keyservice.datakey;

import dev.atrest.keyservice.crypto.KeyMaterial;

/** A database key handed out: its plaintext (close it when sent) and which versions it is. */
public record ReleasedDatabaseKey(KeyMaterial key, int version, int masterKeyVersion) implements AutoCloseable {
    @Override
    public void close() {
        key.close();
    }
}
