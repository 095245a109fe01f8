package dev.atrest.keyservice.vault;

import dev.atrest.keyservice.domain.InvalidArgumentException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The key id and version of a Vault KV read, checked. A key id is an engine's numeric key id (MariaDB's
 * ENCRYPTION_KEY_ID: 1 to 2^32-1) and names the cluster's database key of that name, so GetDatabaseKey with
 * database_name "1" returns the same key as a read of key id 1. Only the canonical decimal form is taken ("01"
 * would otherwise be a second name for the same key). Version 0 or none is the latest, as in Vault.
 */
record VaultKeyPath(String databaseName, int version) {
    static final long MAX_KEY_ID = 0xFFFF_FFFFL;
    private static final Pattern CANONICAL = Pattern.compile("0|[1-9][0-9]{0,9}");
    private static final String KEY_ID_RULE = "must be a whole number from 1 to " + MAX_KEY_ID
            + " (the engine's key id, e.g. MariaDB's ENCRYPTION_KEY_ID), without sign or leading zeros";
    private static final String VERSION_RULE = "must be a whole number from 0 (the latest) to " + Integer.MAX_VALUE
            + ", given at most once";

    /** @throws InvalidArgumentException naming {@code key id} or {@code version} and the rule it breaks */
    static VaultKeyPath parse(String keyId, List<String> versions) {
        long id = canonical(keyId);
        if (id < 1 || id > MAX_KEY_ID) {
            throw InvalidArgumentException.of("key id", KEY_ID_RULE);
        }
        if (versions == null || versions.isEmpty()) {
            return new VaultKeyPath(Long.toString(id), 0);
        }
        long version = versions.size() == 1 ? canonical(versions.get(0)) : -1;
        if (version < 0 || version > Integer.MAX_VALUE) {
            throw InvalidArgumentException.of("version", VERSION_RULE);
        }
        return new VaultKeyPath(Long.toString(id), (int) version);
    }

    /** The value of a canonical decimal of at most ten digits; -1 for anything else. */
    private static long canonical(String text) {
        return text != null && CANONICAL.matcher(text).matches() ? Long.parseLong(text) : -1;
    }
}
