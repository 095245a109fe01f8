package dev.atrest.keyservice.domain;

import java.util.Optional;

/**
 * A request to store a project's encryption configuration, as the caller sent it (not yet checked).
 * At most one provider may be enabled; none enabled means disable.
 *
 * @param aws   the AWS KMS settings sent, or null; the secret inside is the caller's, to be sealed
 * @param etag  empty or null for an unconditional update
 * @param cmkRotationAlertDays the CMK-age alert threshold; 0 keeps the stored one
 */
public record ProjectEncryptionUpdate(
        String projectId,
        boolean awsEnabled,
        AwsKmsSettings aws,
        boolean localEnabled,
        LocalKeySettings local,
        String etag,
        int cmkRotationAlertDays) {

    public static final String FIELD = "project_encryption";

    /** The root key to enable, or empty when the update disables encryption. */
    public Optional<RootKeyConfig> requestedRootKey() {
        if (awsEnabled) {
            return Optional.of(aws);
        }
        return localEnabled ? Optional.of(local) : Optional.empty();
    }

    /** Checks every input rule that needs nothing but the request. */
    public void check(InputRules rules) {
        Violations violations = new Violations();
        InputRules.requireId(violations, FIELD + ".project_id", projectId);
        if (awsEnabled && localEnabled) {
            violations.add(FIELD + ".local_key.enabled",
                    "cannot be true together with aws_kms.enabled: a project has one provider");
        }
        if (awsEnabled) {
            rules.checkAws(violations, FIELD + ".aws_kms", aws);
        }
        if (localEnabled) {
            InputRules.checkLocalKeyId(violations, FIELD + ".local_key.key_id", local.keyId());
        }
        if (cmkRotationAlertDays != 0) {
            CmkAgePolicy.check(violations, FIELD + "." + CmkAgePolicy.FIELD, cmkRotationAlertDays);
        }
        violations.throwIfAny();
    }

    /**
     * Static keys need their secret, unless one is already stored for the same access key id.
     *
     * @param secretStored whether a sealed secret is stored for this access key id
     */
    public void checkSecretPresent(boolean secretStored) {
        if (awsEnabled && aws.usesStaticKeys() && aws.secretAccessKey() == null && !secretStored) {
            throw InvalidArgumentException.of(FIELD + ".aws_kms.secret_access_key", "is required with access_key_id");
        }
    }
}
