package dev.atrest.keyservice.domain;

/**
 * What an identity may do. ADMIN is the configuration plane, KEY_CONSUMER the data plane; neither
 * implies the other, so whoever configures keys does not read them.
 */
public enum Role {
    ADMIN,
    KEY_CONSUMER
}
