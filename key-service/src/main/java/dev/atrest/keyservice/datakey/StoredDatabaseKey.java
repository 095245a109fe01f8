package dev.atrest.keyservice.datakey;

import dev.atrest.keyservice.masterkey.MasterKeyId;
import java.time.Instant;

/**
 * A database key as stored: wrapped under a master-key version of its cluster. Ciphertext only, so it
 * may be kept in memory ({@link ReleaseCache}).
 */
record StoredDatabaseKey(int version, int masterKeyVersion, byte[] wrappedKey, MasterKeyId masterKey,
                         Instant createTime) {}
