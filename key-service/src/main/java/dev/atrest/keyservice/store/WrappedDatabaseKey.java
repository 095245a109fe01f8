package dev.atrest.keyservice.store;

/** One stored database key as the re-wrap reads it: its place in the hierarchy and its ciphertext. */
public record WrappedDatabaseKey(long id, String databaseName, int version, int masterKeyVersion, byte[] wrappedKey) {}
