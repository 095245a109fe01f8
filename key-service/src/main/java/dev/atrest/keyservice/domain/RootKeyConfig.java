package dev.atrest.keyservice.domain;

/** How to reach the root of a project's hierarchy: a CMK in AWS KMS, or a LOCAL root key. */
public sealed interface RootKeyConfig permits AwsKmsSettings, LocalKeySettings {

    Provider provider();

    /**
     * Whether {@code other} names the same root key, so that master keys wrapped under one can be
     * unwrapped under the other without re-wrapping. Credentials do not take part in this.
     */
    boolean sameKeyAs(RootKeyConfig other);
}
