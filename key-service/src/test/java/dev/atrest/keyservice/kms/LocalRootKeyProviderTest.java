package dev.atrest.keyservice.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.crypto.KeyWrapper;
import dev.atrest.keyservice.crypto.UnwrapException;
import dev.atrest.keyservice.domain.LocalKeySettings;
import dev.atrest.keyservice.domain.PreconditionFailedException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRootKeyProviderTest {
    private final SecureRandom random = new SecureRandom();
    private static final LocalKeySettings ROOT = new LocalKeySettings("default");

    @TempDir
    Path dataDir;

    @Test
    void decryptMasterKey_anotherProviderInstance_sameRootKeyFromDisk() {
        GeneratedMasterKey generated = provider().generateMasterKey(ROOT, MasterKeyContext.of("p", "c", 1));

        KeyMaterial opened = provider().decryptMasterKey(ROOT, generated.wrapped(), MasterKeyContext.of("p", "c", 1));

        assertThat(opened.copyBytes()).isEqualTo(generated.plaintext().copyBytes());
        assertThat(generated.wrapped().wrappingKeyId()).isEqualTo("local:default");
    }

    @Test
    void decryptMasterKey_otherContext_fails() {
        GeneratedMasterKey generated = provider().generateMasterKey(ROOT, MasterKeyContext.of("p", "c", 1));

        assertThatThrownBy(() -> provider().decryptMasterKey(ROOT, generated.wrapped(), MasterKeyContext.of("p", "other", 1)))
                .isInstanceOf(UnwrapException.class);
    }

    @Test
    void validateWrappingKey_recordedKeyExists_itsId() {
        provider().generateMasterKey(ROOT, MasterKeyContext.of("p", "c", 1));

        assertThat(provider().validateWrappingKey("p", ROOT, "local:default")).isEqualTo("local:default");
    }

    @Test
    void validateWrappingKey_recordedKeyFileGone_invalidAndNotMadeAnew() {
        assertThatThrownBy(() -> provider().validateWrappingKey("p", ROOT, "local:lost"))
                .isInstanceOfSatisfying(PreconditionFailedException.class,
                        e -> assertThat(e.metadata().get("kms_reason")).contains("lost", "does not exist"));
        assertThat(dataDir.resolve("local-root-keys/lost.key")).doesNotExist();
    }

    @Test
    void validateWrappingKey_recordedIdNamesAPath_invalid() {
        assertThatThrownBy(() -> provider().validateWrappingKey("p", ROOT, "local:../../seal"))
                .isInstanceOfSatisfying(PreconditionFailedException.class,
                        e -> assertThat(e.metadata().get("kms_reason")).contains("malformed"));
    }

    @Test
    void rootKeyFile_concurrentFirstUse_oneOwnerOnlyKeyForAll() throws Exception {
        LocalKeySettings raced = new LocalKeySettings("raced");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<GeneratedMasterKey>> generated = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                int version = i;
                generated.add(pool.submit(() -> provider().generateMasterKey(raced, MasterKeyContext.of("p", "c", version))));
            }
            for (int i = 0; i < generated.size(); i++) {
                GeneratedMasterKey key = generated.get(i).get();
                try (KeyMaterial opened = provider().decryptMasterKey(raced, key.wrapped(), MasterKeyContext.of("p", "c", i))) {
                    assertThat(opened.copyBytes()).isEqualTo(key.plaintext().copyBytes());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Path file = dataDir.resolve("local-root-keys").resolve("raced.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.size(file)).isEqualTo(32);
        assertThat(Files.list(file.getParent())).hasSize(1); // no temporary files left behind
    }

    private LocalRootKeyProvider provider() {
        return new LocalRootKeyProvider(AwsKmsFaultTest.config(URI.create("http://127.0.0.1:1"), dataDir),
                new KeyWrapper(random), random);
    }
}
