package dev.atrest.keyservice.store;

import dev.atrest.keyservice.crypto.SecretSealer;
import dev.atrest.keyservice.domain.AwsKmsSettings;
import dev.atrest.keyservice.domain.CmkAgePolicy;
import dev.atrest.keyservice.domain.CmkChangeProgress;
import dev.atrest.keyservice.domain.ProjectEncryption;
import dev.atrest.keyservice.domain.RootKeyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/** Translates project rows to the domain and back; the only place a stored secret is unsealed. */
@ApplicationScoped
public class ProjectRows {
    private final SecretSealer sealer;
    private final CmkChangeRepository cmkChanges;
    private final MasterKeyRepository masterKeyRows;

    ProjectRows(SecretSealer sealer, CmkChangeRepository cmkChanges, MasterKeyRepository masterKeyRows) {
        this.sealer = sealer;
        this.cmkChanges = cmkChanges;
        this.masterKeyRows = masterKeyRows;
    }

    /** The project as stored, with the progress of its unfinished CMK change if it has one. */
    public ProjectEncryption describe(ProjectEncryptionEntity row) {
        return toDomain(row, cmkChanges.findByIdOptional(row.projectId).map(change -> {
            int total = (int) masterKeyRows.countLiveByProject(row.projectId);
            int left = (int) masterKeyRows.countLiveBeforeGeneration(row.projectId, row.rootKeyGeneration);
            return new CmkChangeProgress(total - left, total, change.startedTime, change.lastError);
        }));
    }

    public static ProjectEncryption toDomain(ProjectEncryptionEntity row) {
        return toDomain(row, Optional.empty());
    }

    public static ProjectEncryption toDomain(ProjectEncryptionEntity row, Optional<CmkChangeProgress> cmkChange) {
        return new ProjectEncryption(row.projectId, RootKeyColumns.withoutSecret(row.rootKey), row.enabled, row.valid,
                row.validationError, row.cmkLastChangedTime, row.lastValidatedTime, row.rowVersion,
                row.createTime, row.updateTime, new CmkAgePolicy(row.cmkRotationAlertDays), cmkChange,
                row.encryptionGeneration);
    }

    /** The stored root key, with its secret unsealed so that KMS can be called; clear it after use. */
    public Optional<RootKeyConfig> rootKeyWithSecret(ProjectEncryptionEntity row) {
        return RootKeyColumns.withoutSecret(row.rootKey).map(root -> unsealed(row, root, row.rootKey));
    }

    /**
     * The root key of generation {@code generation}, secret unsealed: the project's own while it is
     * current, the one a CMK change is leaving while that change is unfinished. Clear it after use.
     */
    public RootKeyConfig rootKeyForGeneration(ProjectEncryptionEntity row, int generation) {
        if (generation == row.rootKeyGeneration) {
            return rootKeyWithSecret(row).orElseThrow(() ->
                    new IllegalStateException("project " + row.projectId + " has no root key"));
        }
        CmkChangeEntity change = cmkChanges.findByIdOptional(row.projectId)
                .filter(c -> c.fromGeneration == generation)
                .orElseThrow(() -> new IllegalStateException("project " + row.projectId
                        + " has no root key of generation " + generation));
        return unsealed(row, fromRootKey(change), change.from);
    }

    /** Starts a CMK change away from the project's current root key: remembers how to reach it. */
    public CmkChangeEntity startCmkChange(ProjectEncryptionEntity row, Instant now) {
        CmkChangeEntity change = new CmkChangeEntity();
        change.projectId = row.projectId;
        change.fromGeneration = row.rootKeyGeneration;
        change.from = RootKeyColumns.copyOf(row.rootKey);
        change.startedTime = now;
        return change;
    }

    /** The root key a CMK change is leaving, without its secret (for messages and comparisons). */
    public static RootKeyConfig fromRootKey(CmkChangeEntity change) {
        return RootKeyColumns.withoutSecret(change.from).orElseThrow(() ->
                new IllegalStateException("CMK change of " + change.projectId + " names no root key"));
    }

    public void store(ProjectEncryptionEntity row, RootKeyConfig root) {
        byte[] sealedSecret = root instanceof AwsKmsSettings aws && aws.secretAccessKey() != null
                ? sealer.seal(row.projectId, aws.secretAccessKey())
                : null;
        row.rootKey = RootKeyColumns.of(root, sealedSecret);
    }

    private RootKeyConfig unsealed(ProjectEncryptionEntity row, RootKeyConfig root, RootKeyColumns columns) {
        return root instanceof AwsKmsSettings aws && columns.awsSecretSealed != null
                ? aws.withSecret(sealer.open(row.projectId, columns.awsSecretSealed))
                : root;
    }
}
