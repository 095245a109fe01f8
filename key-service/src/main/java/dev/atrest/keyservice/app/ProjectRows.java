package dev.atrest.keyservice.app;

import dev.atrest.keyservice.crypto.SecretSealer;
import dev.atrest.keyservice.domain.AwsKmsSettings;
import dev.atrest.keyservice.domain.CmkAgePolicy;
import dev.atrest.keyservice.domain.CmkChangeProgress;
import dev.atrest.keyservice.domain.LocalKeySettings;
import dev.atrest.keyservice.domain.ProjectEncryption;
import dev.atrest.keyservice.domain.RootKeyConfig;
import dev.atrest.keyservice.store.CmkChangeEntity;
import dev.atrest.keyservice.store.CmkChangeRepository;
import dev.atrest.keyservice.store.MasterKeyRepository;
import dev.atrest.keyservice.store.ProjectEncryptionEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/** Translates project rows to the domain and back; the only place a stored secret is unsealed. */
@ApplicationScoped
class ProjectRows {
    private final SecretSealer sealer;
    private final CmkChangeRepository cmkChanges;
    private final MasterKeyRepository masterKeyRows;

    ProjectRows(SecretSealer sealer, CmkChangeRepository cmkChanges, MasterKeyRepository masterKeyRows) {
        this.sealer = sealer;
        this.cmkChanges = cmkChanges;
        this.masterKeyRows = masterKeyRows;
    }

    /** The project as stored, with the progress of its unfinished CMK change if it has one. */
    ProjectEncryption describe(ProjectEncryptionEntity row) {
        return toDomain(row, cmkChanges.findByIdOptional(row.projectId).map(change -> {
            int total = (int) masterKeyRows.countLiveByProject(row.projectId);
            int left = (int) masterKeyRows.countLiveBeforeGeneration(row.projectId, row.rootKeyGeneration);
            return new CmkChangeProgress(total - left, total, change.startedTime, change.lastError);
        }));
    }

    static ProjectEncryption toDomain(ProjectEncryptionEntity row) {
        return toDomain(row, Optional.empty());
    }

    static ProjectEncryption toDomain(ProjectEncryptionEntity row, Optional<CmkChangeProgress> cmkChange) {
        return new ProjectEncryption(row.projectId, rootKeyWithoutSecret(row), row.enabled, row.valid,
                row.validationError, row.cmkLastChangedTime, row.lastValidatedTime, row.rowVersion,
                row.createTime, row.updateTime, new CmkAgePolicy(row.cmkRotationAlertDays), cmkChange,
                row.encryptionGeneration);
    }

    /** The stored root key, with its secret unsealed so that KMS can be called; clear it after use. */
    Optional<RootKeyConfig> rootKeyWithSecret(ProjectEncryptionEntity row) {
        return rootKeyWithoutSecret(row).map(root -> root instanceof AwsKmsSettings aws && row.awsSecretSealed != null
                ? aws.withSecret(sealer.open(row.projectId, row.awsSecretSealed))
                : root);
    }

    /**
     * The root key of generation {@code generation}, secret unsealed: the project's own while it is
     * current, the one a CMK change is leaving while that change is unfinished. Clear it after use.
     */
    RootKeyConfig rootKeyForGeneration(ProjectEncryptionEntity row, int generation) {
        if (generation == row.rootKeyGeneration) {
            return rootKeyWithSecret(row).orElseThrow(() ->
                    new IllegalStateException("project " + row.projectId + " has no root key"));
        }
        CmkChangeEntity change = cmkChanges.findByIdOptional(row.projectId)
                .filter(c -> c.fromGeneration == generation)
                .orElseThrow(() -> new IllegalStateException("project " + row.projectId
                        + " has no root key of generation " + generation));
        RootKeyConfig from = fromRootKey(change);
        return from instanceof AwsKmsSettings aws && change.fromAwsSecretSealed != null
                ? aws.withSecret(sealer.open(row.projectId, change.fromAwsSecretSealed))
                : from;
    }

    /** Starts a CMK change away from the project's current root key: remembers how to reach it. */
    CmkChangeEntity startCmkChange(ProjectEncryptionEntity row, Instant now) {
        CmkChangeEntity change = new CmkChangeEntity();
        change.projectId = row.projectId;
        change.fromGeneration = row.rootKeyGeneration;
        change.fromProvider = row.rootProvider;
        change.fromAwsCmkId = row.awsCmkId;
        change.fromAwsRegion = row.awsRegion;
        change.fromAwsRoleArn = row.awsRoleArn;
        change.fromAwsExternalId = row.awsExternalId;
        change.fromAwsAccessKeyId = row.awsAccessKeyId;
        change.fromAwsSecretSealed = row.awsSecretSealed;
        change.fromLocalKeyId = row.localKeyId;
        change.startedTime = now;
        return change;
    }

    /** The root key a CMK change is leaving, without its secret (for messages and comparisons). */
    static RootKeyConfig fromRootKey(CmkChangeEntity change) {
        return switch (change.fromProvider) {
            case AWS -> new AwsKmsSettings(change.fromAwsCmkId, change.fromAwsRegion, change.fromAwsRoleArn,
                    change.fromAwsExternalId, change.fromAwsAccessKeyId, null);
            case LOCAL -> new LocalKeySettings(change.fromLocalKeyId);
            case NONE -> throw new IllegalStateException("a stored root key cannot be NONE");
        };
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
