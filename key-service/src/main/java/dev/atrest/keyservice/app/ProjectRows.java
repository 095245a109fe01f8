package dev.atrest.keyservice.app;

import dev.atrest.keyservice.crypto.SecretSealer;
import dev.atrest.keyservice.domain.AwsKmsSettings;
import dev.atrest.keyservice.domain.CmkAgePolicy;
import dev.atrest.keyservice.domain.CmkChangeProgress;
import dev.atrest.keyservice.domain.LocalKeySettings;
import dev.atrest.keyservice.domain.ProjectEncryption;
import dev.atrest.keyservice.domain.RootKeyConfig;
import dev.atrest.keyservice.store.ProjectEncryptionEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Translates project rows to the domain and back; the only place a stored secret is unsealed. */
@ApplicationScoped
class ProjectRows {
    private final SecretSealer sealer;

    ProjectRows(SecretSealer sealer) {
        this.sealer = sealer;
    }

    static ProjectEncryption toDomain(ProjectEncryptionEntity row) {
        return toDomain(row, Optional.empty());
    }

    static ProjectEncryption toDomain(ProjectEncryptionEntity row, Optional<CmkChangeProgress> cmkChange) {
        return new ProjectEncryption(row.projectId, rootKeyWithoutSecret(row), row.enabled, row.valid,
                row.validationError, row.cmkLastChangedTime, row.lastValidatedTime, row.rowVersion,
                row.createTime, row.updateTime, new CmkAgePolicy(row.cmkRotationAlertDays), cmkChange);
    }

    /** The stored root key, with its secret unsealed so that KMS can be called; clear it after use. */
    Optional<RootKeyConfig> rootKeyWithSecret(ProjectEncryptionEntity row) {
        return rootKeyWithoutSecret(row).map(root -> root instanceof AwsKmsSettings aws && row.awsSecretSealed != null
                ? aws.withSecret(sealer.open(row.projectId, row.awsSecretSealed))
                : root);
    }

    void store(ProjectEncryptionEntity row, RootKeyConfig root) {
        row.rootProvider = root.provider();
        if (root instanceof AwsKmsSettings aws) {
            row.awsCmkId = aws.customerMasterKeyId();
            row.awsRegion = aws.region();
            row.awsRoleArn = aws.roleArn();
            row.awsExternalId = aws.externalId();
            row.awsAccessKeyId = aws.accessKeyId();
            row.awsSecretSealed = aws.secretAccessKey() == null ? null : sealer.seal(row.projectId, aws.secretAccessKey());
            row.localKeyId = null;
        } else if (root instanceof LocalKeySettings local) {
            row.awsCmkId = null;
            row.awsRegion = null;
            row.awsRoleArn = null;
            row.awsExternalId = null;
            row.awsAccessKeyId = null;
            row.awsSecretSealed = null;
            row.localKeyId = local.keyId();
        }
    }

    private static Optional<RootKeyConfig> rootKeyWithoutSecret(ProjectEncryptionEntity row) {
        if (row.rootProvider == null) {
            return Optional.empty();
        }
        return Optional.of(switch (row.rootProvider) {
            case AWS -> new AwsKmsSettings(row.awsCmkId, row.awsRegion, row.awsRoleArn, row.awsExternalId,
                    row.awsAccessKeyId, null);
            case LOCAL -> new LocalKeySettings(row.localKeyId);
            case NONE -> throw new IllegalStateException("a stored root key cannot be NONE");
        });
    }
}
