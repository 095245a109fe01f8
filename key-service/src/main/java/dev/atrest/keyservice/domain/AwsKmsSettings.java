package dev.atrest.keyservice.domain;

import java.util.Objects;

/**
 * A project's CMK in AWS KMS and how the service authenticates to use it: a role assumed through STS
 * (with an optional external id), static keys, or neither (the service's own credentials).
 *
 * @param customerMasterKeyId a key id, key ARN or alias ARN
 * @param secretAccessKey     present only while the secret is in flight or unsealed for a KMS call
 */
public record AwsKmsSettings(
        String customerMasterKeyId,
        String region,
        String roleArn,
        String externalId,
        String accessKeyId,
        SecretValue secretAccessKey) implements RootKeyConfig {

    @Override
    public Provider provider() {
        return Provider.AWS;
    }

    @Override
    public boolean sameKeyAs(RootKeyConfig other) {
        return other instanceof AwsKmsSettings aws
                && customerMasterKeyId.equals(aws.customerMasterKeyId)
                && region.equals(aws.region);
    }

    public boolean usesStaticKeys() {
        return accessKeyId != null;
    }

    public boolean usesRole() {
        return roleArn != null;
    }

    /** The same settings carrying {@code secret} (unsealed from storage). */
    public AwsKmsSettings withSecret(SecretValue secret) {
        return new AwsKmsSettings(customerMasterKeyId, region, roleArn, externalId, accessKeyId, secret);
    }

    /** The same way in (region, credentials) to another key of the account, named by {@code keyId}. */
    public AwsKmsSettings withKeyId(String keyId) {
        return new AwsKmsSettings(keyId, region, roleArn, externalId, accessKeyId, secretAccessKey);
    }

    /** Same key, same way in, same secret: an update that changes nothing. */
    public boolean sameAs(AwsKmsSettings other) {
        return sameKeyAs(other) && sameAccessAs(other);
    }

    /** Same region reached with the same credentials (whatever the key): one client can use both keys. */
    public boolean sameAccessAs(AwsKmsSettings other) {
        boolean sameSecret = secretAccessKey == null
                ? other.secretAccessKey == null
                : secretAccessKey.sameAs(other.secretAccessKey);
        return region.equals(other.region)
                && Objects.equals(roleArn, other.roleArn)
                && Objects.equals(externalId, other.externalId)
                && Objects.equals(accessKeyId, other.accessKeyId)
                && sameSecret;
    }

    @Override
    public String toString() {
        return "AwsKmsSettings[customerMasterKeyId=" + customerMasterKeyId + ", region=" + region
                + ", roleArn=" + roleArn + ", accessKeyId=" + accessKeyId + ", secretAccessKey="
                + (secretAccessKey == null ? "none" : "redacted") + "]";
    }
}
