package dev.atrest.keyservice.kms;

import dev.atrest.contract.IdentifierRule;
import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.crypto.Aad;
import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.crypto.KeyWrapper;
import dev.atrest.keyservice.domain.LocalKeySettings;
import dev.atrest.keyservice.domain.Provider;
import dev.atrest.keyservice.domain.RootKeyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Development stand-in for KMS: named 256-bit root keys in files (mode 0600) under
 * {@code <data-dir>/local-root-keys/}, created on first use. Master keys are wrapped with AES-GCM
 * and the encryption context as AAD, so the hierarchy below behaves exactly as with AWS KMS.
 */
@ApplicationScoped
public class LocalRootKeyProvider implements RootKeyProvider {
    static final String PREFIX = "local:";

    private final Path keyDir;
    private final KeyWrapper wrapper;
    private final SecureRandom random;

    public LocalRootKeyProvider(AtrestConfig config, KeyWrapper wrapper, SecureRandom random) {
        this.keyDir = config.dataDir().resolve("local-root-keys");
        this.wrapper = wrapper;
        this.random = random;
    }

    @Override
    public Provider provider() {
        return Provider.LOCAL;
    }

    @Override
    public String validate(String projectId, RootKeyConfig config) {
        try (KeyMaterial root = rootKey(config); KeyMaterial probe = KeyMaterial.generate(random)) {
            byte[] aad = aad(MasterKeyContext.forValidation(projectId));
            wrapper.unwrapKey(root, wrapper.wrapKey(root, probe, aad), aad).close();
            return PREFIX + ((LocalKeySettings) config).keyId();
        }
    }

    /** A recorded LOCAL root key must still exist: it is never made anew, which would hide its loss. */
    @Override
    public String validateWrappingKey(String projectId, RootKeyConfig access, String wrappingKeyId) {
        // Read from the database: never let it name a file outside the key directory.
        if (!wrappingKeyId.startsWith(PREFIX) || !IdentifierRule.matches(wrappingKeyId.substring(PREFIX.length()))) {
            throw KmsErrors.invalid("the LOCAL root key id " + wrappingKeyId + " is malformed");
        }
        LocalKeySettings recorded = new LocalKeySettings(wrappingKeyId.substring(PREFIX.length()));
        if (!Files.exists(file(recorded))) {
            throw KmsErrors.invalid("the LOCAL root key " + recorded.keyId() + " does not exist");
        }
        return validate(projectId, recorded);
    }

    @Override
    public GeneratedMasterKey generateMasterKey(RootKeyConfig config, Map<String, String> context) {
        KeyMaterial masterKey = KeyMaterial.generate(random);
        return new GeneratedMasterKey(masterKey, encryptMasterKey(config, masterKey, context));
    }

    @Override
    public KeyMaterial decryptMasterKey(RootKeyConfig config, WrappedMasterKey wrapped, Map<String, String> context) {
        try (KeyMaterial root = rootKey(config)) {
            return wrapper.unwrapKey(root, wrapped.ciphertext(), aad(context));
        }
    }

    @Override
    public WrappedMasterKey encryptMasterKey(RootKeyConfig config, KeyMaterial masterKey, Map<String, String> context) {
        try (KeyMaterial root = rootKey(config)) {
            return new WrappedMasterKey(PREFIX + ((LocalKeySettings) config).keyId(),
                    wrapper.wrapKey(root, masterKey, aad(context)));
        }
    }

    private KeyMaterial rootKey(RootKeyConfig config) {
        Path file = file(config);
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return KeyMaterial.takeOwnership(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the LOCAL root key " + file, e);
        }
    }

    private Path file(RootKeyConfig config) {
        return keyDir.resolve(((LocalKeySettings) config).keyId() + ".key");
    }

    private void create(Path file) throws IOException {
        Files.createDirectories(keyDir);
        try (KeyMaterial fresh = KeyMaterial.generate(random)) {
            Path temp = Files.createTempFile(keyDir, ".new-", ".key",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            byte[] bytes = fresh.copyBytes();
            Files.write(temp, bytes);
            java.util.Arrays.fill(bytes, (byte) 0);
            try {
                // Atomic and refusing to replace: two first uses racing keep the same single key.
                Files.createLink(file, temp);
            } catch (FileAlreadyExistsException raced) {
                // the other one won; its key is the key
            } finally {
                Files.delete(temp);
            }
        }
    }

    private static byte[] aad(Map<String, String> context) {
        List<String> fields = new ArrayList<>();
        context.forEach((k, v) -> {
            fields.add(k);
            fields.add(v);
        });
        return Aad.of("atrest.v1/local-master-key", fields.toArray(String[]::new));
    }
}
