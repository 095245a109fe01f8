package dev.atrest.keyservice.domain;

/** Who holds the root of a key hierarchy. */
public enum Provider {
    /** The customer's master key lives in AWS KMS. */
    AWS,
    /** A root key in a file under the data directory: development only. */
    LOCAL,
    /** No encryption at rest. */
    NONE
}
