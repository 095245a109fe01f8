package dev.atrest.keyservice.masterkey;

import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.domain.AwsKmsSettings;
import dev.atrest.keyservice.domain.KeyState;
import dev.atrest.keyservice.domain.RootKeyConfig;
import dev.atrest.keyservice.kms.GeneratedMasterKey;
import dev.atrest.keyservice.kms.MasterKeyContext;
import dev.atrest.keyservice.kms.RootKeys;
import dev.atrest.keyservice.kms.Secrets;
import dev.atrest.keyservice.kms.WrappedMasterKey;
import dev.atrest.keyservice.store.MasterKeyEntity;
import dev.atrest.keyservice.store.MasterKeyRepository;
import dev.atrest.keyservice.store.ProjectEncryptionEntity;
import dev.atrest.keyservice.store.ProjectRows;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** Creates, opens and re-wraps master keys under a project's root key. Plaintext never leaves memory. */
@ApplicationScoped
public class MasterKeys {
    private final RootKeys rootKeys;
    private final MasterKeyRepository repository;
    private final ProjectRows projectRows;
    private final Clock clock;

    MasterKeys(RootKeys rootKeys, MasterKeyRepository repository, ProjectRows projectRows, Clock clock) {
        this.rootKeys = rootKeys;
        this.repository = repository;
        this.projectRows = projectRows;
        this.clock = clock;
    }

    /** Generates version {@code version} of a cluster's master key under {@code root} and stores it ACTIVE. */
    public MasterKeyEntity create(RootKeyConfig root, int rootKeyGeneration, String projectId, String clusterName,
                           int version) {
        try (GeneratedMasterKey generated = generate(root, projectId, clusterName, version)) {
            MasterKeyEntity row = newRow(projectId, clusterName, version, root, rootKeyGeneration, generated.wrapped());
            repository.persist(row);
            return row;
        }
    }

    /** Asks the root key for a new master key; nothing is stored. The caller closes the result. */
    public GeneratedMasterKey generate(RootKeyConfig root, String projectId, String clusterName, int version) {
        return rootKeys.forConfig(root).generateMasterKey(root, MasterKeyContext.of(projectId, clusterName, version));
    }

    /** An ACTIVE master-key row for a key the root key generated; the caller persists it. */
    public MasterKeyEntity newRow(String projectId, String clusterName, int version, RootKeyConfig root,
                           int rootKeyGeneration, WrappedMasterKey wrapped) {
        MasterKeyEntity row = new MasterKeyEntity();
        row.projectId = projectId;
        row.clusterName = clusterName;
        row.version = version;
        row.state = KeyState.ACTIVE;
        row.createTime = Instant.now(clock);
        setWrapping(row, root, rootKeyGeneration, wrapped);
        return row;
    }

    /** The plaintext of a stored master key, under whichever root key generation wraps it. Caller closes it. */
    public KeyMaterial open(ProjectEncryptionEntity project, MasterKeyEntity row) {
        RootKeyConfig root = projectRows.rootKeyForGeneration(project, row.rootKeyGeneration);
        try {
            return open(root, row);
        } finally {
            Secrets.clear(root);
        }
    }

    /** The plaintext of a stored master key wrapped under {@code root}; the caller closes it. */
    public KeyMaterial open(RootKeyConfig root, MasterKeyEntity row) {
        if (row.wrappedKey == null) {
            throw new IllegalStateException("master key version " + row.version + " was destroyed");
        }
        return rootKeys.forProvider(row.wrappingProvider).decryptMasterKey(root,
                new WrappedMasterKey(row.wrappingKeyId, row.wrappedKey), context(row));
    }

    /**
     * The master key's ciphertext moved from root key {@code from} to {@code to} (KMS ReEncrypt where the
     * provider can, so the plaintext never leaves KMS); the key itself is unchanged. Nothing is stored.
     */
    public WrappedMasterKey rewrapped(RootKeyConfig from, RootKeyConfig to, MasterKeyEntity row) {
        if (row.wrappedKey == null) {
            throw new IllegalStateException("master key version " + row.version + " was destroyed");
        }
        return rootKeys.forProvider(row.wrappingProvider).reEncryptMasterKey(from,
                new WrappedMasterKey(row.wrappingKeyId, row.wrappedKey), to, rootKeys.forConfig(to), context(row));
    }

    public void setWrapping(MasterKeyEntity row, RootKeyConfig root, int rootKeyGeneration, WrappedMasterKey wrapped) {
        row.rootKeyGeneration = rootKeyGeneration;
        row.wrappingProvider = root.provider();
        row.wrappingKeyId = wrapped.wrappingKeyId();
        row.wrappingRegion = root instanceof AwsKmsSettings aws ? aws.region() : null;
        row.wrappedKey = wrapped.ciphertext();
        row.updateTime = Instant.now(clock);
    }

    private static Map<String, String> context(MasterKeyEntity row) {
        return MasterKeyContext.of(row.projectId, row.clusterName, row.version);
    }
}
