package dev.atrest.keyservice.kms;

import dev.atrest.keyservice.crypto.KeyMaterial;

/** A new master key: its plaintext (close it when done) and its ciphertext under the root key. */
public record GeneratedMasterKey(KeyMaterial plaintext, WrappedMasterKey wrapped) implements AutoCloseable {
    @Override
    public void close() {
        plaintext.close();
    }
}
