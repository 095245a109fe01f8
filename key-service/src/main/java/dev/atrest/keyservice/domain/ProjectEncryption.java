package dev.atrest.keyservice.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * A project's encryption at rest as stored.
 *
 * @param rootKey the last root key configured. It is kept after the project is disabled: master keys
 *                of disabled clusters (and their snapshots) are still wrapped under it, and forgetting
 *                how to reach it would lose them.
 * @param version   increases with every change; the etag is derived from it
 * @param cmkChange present while the project's master keys are moving to a new root key
 * @param generation the incarnation of the project's encryption: 0 while never enabled, +1 at each enable
 *                   from NONE (see {@link EncryptionRules#generationAfterEnable})
 */
public record ProjectEncryption(
        String projectId,
        Optional<RootKeyConfig> rootKey,
        boolean enabled,
        boolean valid,
        String validationError,
        Instant cmkLastChangedTime,
        Instant lastValidatedTime,
        long version,
        Instant createTime,
        Instant updateTime,
        CmkAgePolicy cmkAgePolicy,
        Optional<CmkChangeProgress> cmkChange,
        long generation) {

    /** The provider in force: the root key's while enabled, NONE otherwise. */
    public Provider provider() {
        return enabled ? rootKey.map(RootKeyConfig::provider).orElse(Provider.NONE) : Provider.NONE;
    }

    public String etag() {
        return Etags.of(version);
    }
}
