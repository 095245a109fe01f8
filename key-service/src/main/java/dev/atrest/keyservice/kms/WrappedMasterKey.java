package dev.atrest.keyservice.kms;

/**
 * A master key as the root provider returned it: ciphertext only.
 *
 * @param wrappingKeyId the root key that wrapped it, as the provider names it (the CMK's key ARN for
 *                      AWS, even when the project names the CMK by alias; "local:ID" for LOCAL)
 */
public record WrappedMasterKey(String wrappingKeyId, byte[] ciphertext) {}
