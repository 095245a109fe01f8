package dev.atrest.keyservice.domain;

/**
 * The life of a stored key version: ACTIVE (the current one) → RETIRED (decrypt-only, kept while
 * anything needs it) → DESTROYED (material erased, metadata kept). There is no way back.
 */
public enum KeyState {
    ACTIVE,
    RETIRED,
    DESTROYED
}
