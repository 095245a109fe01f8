package dev.atrest.keyservice.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.domain.BearerTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapTokenFileTest {
    private final SecureRandom random = new SecureRandom();

    @TempDir
    Path dir;

    @Test
    void readOrCreate_noFile_writesANewTokenReadableByTheOwnerOnly() throws Exception {
        Path file = dir.resolve("data/bootstrap-admin-token");

        BootstrapTokenFile.Secret secret = BootstrapTokenFile.readOrCreate(file, random);

        assertThat(secret.createdHere()).isTrue();
        assertThat(BearerTokens.isWellFormed(secret.value())).isTrue();
        assertThat(Files.readString(file).strip()).isEqualTo(secret.value());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(secret.toString()).doesNotContain(secret.value());
        try (var leftovers = Files.list(file.getParent())) {
            assertThat(leftovers).containsExactly(file);
        }
    }

    @Test
    void readOrCreate_existingFile_adoptsItsToken() throws Exception {
        String chosen = BearerTokens.newSecret(random);
        Path file = Files.writeString(dir.resolve("token"), chosen + "\n");

        BootstrapTokenFile.Secret secret = BootstrapTokenFile.readOrCreate(file, random);

        assertThat(secret.value()).isEqualTo(chosen);
        assertThat(secret.createdHere()).isFalse();
    }

    @Test
    void readOrCreate_fileWithoutAToken_refusedWithoutRepeatingTheContent() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "hunter2");

        assertThatThrownBy(() -> BootstrapTokenFile.readOrCreate(file, random))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not hold a token")
                .hasMessageNotContaining("hunter2");
    }
}
