package dev.atrest.keyservice.domain;

import java.time.Instant;

/** What may be said about one database key in public: no key material. */
public record DatabaseKeyInfo(
        String databaseName, int version, int wrappedByMasterKeyVersion, KeyState state, Instant createTime) {}
