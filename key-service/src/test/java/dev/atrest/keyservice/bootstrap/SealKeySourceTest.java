package dev.atrest.keyservice.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.crypto.KeyMaterial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealKeySourceTest {
    private final SecureRandom random = new SecureRandom();

    @TempDir
    Path dataDir;

    @Test
    void load_externalDatabaseWithoutKey_refusedSayingWhatToSet() {
        assertThatThrownBy(() -> SealKeySource.load(seal(null, null), dataDir, false, random))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ATREST_SEAL_KEY");
        assertThat(dataDir.resolve(SealKeySource.GENERATED_FILE)).doesNotExist();
    }

    @Test
    void load_embeddedWithoutKey_generatesOnceOwnerOnlyAndReusesIt() throws Exception {
        byte[] first = SealKeySource.load(seal(null, null), dataDir, true, random).copyBytes();
        byte[] second = SealKeySource.load(seal(null, null), dataDir, true, random).copyBytes();

        assertThat(second).isEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(SealKeySource.GENERATED_FILE))))
                .isEqualTo("rw-------");
    }

    @Test
    void load_configuredKey_winsOverFileAndGenerated() {
        byte[] key = new byte[32];
        random.nextBytes(key);

        KeyMaterial loaded = SealKeySource.load(seal(Base64.getEncoder().encodeToString(key), null), dataDir, true, random);

        assertThat(loaded.copyBytes()).isEqualTo(key);
    }

    @Test
    void load_wrongLengthOrNotBase64_refusedWithoutEchoingTheValue() throws Exception {
        assertThatThrownBy(() -> SealKeySource.load(seal("c2hvcnQ=", null), dataDir, true, random))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("32 bytes").hasMessageNotContaining("c2hvcnQ");
        Path file = Files.writeString(dataDir.resolve("bad.key"), "%%% not base64");
        assertThatThrownBy(() -> SealKeySource.load(seal(null, file), dataDir, true, random))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not base64").hasMessageNotContaining("%%%");
    }

    private static AtrestConfig.Seal seal(String key, Path file) {
        return new AtrestConfig.Seal() {
            public Optional<String> key() { return Optional.ofNullable(key); }
            public Optional<Path> keyFile() { return Optional.ofNullable(file); }
        };
    }
}
