package dev.atrest.keyservice.app;

import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.domain.AwsKmsSettings;
import dev.atrest.keyservice.domain.KeyState;
import dev.atrest.keyservice.domain.RootKeyConfig;
import dev.atrest.keyservice.kms.GeneratedMasterKey;
import dev.atrest.keyservice.kms.MasterKeyContext;
import dev.atrest.keyservice.kms.RootKeys;
import dev.atrest.keyservice.kms.WrappedMasterKey;
import dev.atrest.keyservice.store.MasterKeyEntity;
import dev.atrest.keyservice.store.MasterKeyRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;

/** Creates, opens and re-wraps master keys under a project's root key. Plaintext never leaves memory. */
@ApplicationScoped
class MasterKeys {
    private final RootKeys rootKeys;
    private final MasterKeyRepository repository;
    private final Clock clock;

    MasterKeys(RootKeys rootKeys, MasterKeyRepository repository, Clock clock) {
        this.rootKeys = rootKeys;
        this.repository = repository;
        this.clock = clock;
    }

    /** Generates version {@code version} of a cluster's master key under {@code root} and stores it ACTIVE. */
    MasterKeyEntity create(RootKeyConfig root, int rootKeyGeneration, String projectId, String clusterName,
                           int version) {
        try (GeneratedMasterKey generated = rootKeys.forConfig(root)
                .generateMasterKey(root, MasterKeyContext.of(projectId, clusterName, version))) {
            MasterKeyEntity row = new MasterKeyEntity();
            row.projectId = projectId;
            row.clusterName = clusterName;
            row.version = version;
            row.state = KeyState.ACTIVE;
            row.createTime = Instant.now(clock);
            setWrapping(row, root, rootKeyGeneration, generated.wrapped());
            repository.persist(row);
            return row;
        }
    }

    /** The plaintext of a stored master key; the caller closes it. */
    KeyMaterial open(RootKeyConfig root, MasterKeyEntity row) {
        if (row.wrappedKey == null) {
            throw new IllegalStateException("master key version " + row.version + " was destroyed");
        }
        return rootKeys.forProvider(row.wrappingProvider).decryptMasterKey(root,
                new WrappedMasterKey(row.wrappingKeyId, row.wrappedKey),
                MasterKeyContext.of(row.projectId, row.clusterName, row.version));
    }

    /** Moves a master key from {@code from} to {@code to}: the key itself is unchanged. */
    void rewrap(RootKeyConfig from, RootKeyConfig to, int toGeneration, MasterKeyEntity row) {
        try (KeyMaterial plaintext = open(from, row)) {
            setWrapping(row, to, toGeneration, rootKeys.forConfig(to).encryptMasterKey(to, plaintext,
                    MasterKeyContext.of(row.projectId, row.clusterName, row.version)));
        }
    }

    private void setWrapping(MasterKeyEntity row, RootKeyConfig root, int rootKeyGeneration, WrappedMasterKey wrapped) {
        row.rootKeyGeneration = rootKeyGeneration;
        row.wrappingProvider = root.provider();
        row.wrappingKeyId = wrapped.wrappingKeyId();
        row.wrappingRegion = root instanceof AwsKmsSettings aws ? aws.region() : null;
        row.wrappedKey = wrapped.ciphertext();
        row.updateTime = Instant.now(clock);
    }
}
