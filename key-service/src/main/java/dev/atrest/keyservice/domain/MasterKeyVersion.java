package dev.atrest.keyservice.domain;

import java.time.Instant;

/** What may be said about one master-key version in public: no key material. */
public record MasterKeyVersion(int version, KeyState state, Provider provider, String wrappingKeyId, Instant createTime) {}
