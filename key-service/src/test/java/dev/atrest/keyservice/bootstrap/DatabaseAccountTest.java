package dev.atrest.keyservice.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseAccountTest {
    @TempDir
    Path dataDir;

    @Test
    void findOrCreate_firstStart_writesARandomPasswordOnlyTheOwnerCanRead() throws Exception {
        DatabaseAccount account = DatabaseAccount.findOrCreate(dataDir, new SecureRandom());

        Path file = dataDir.resolve(DatabaseAccount.PASSWORD_FILE);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(account.password()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(account.user()).isEqualTo("atrest");
        assertThat(Files.readString(file).trim()).isEqualTo(account.password());
    }

    @Test
    void findOrCreate_laterStart_sameAccount() throws Exception {
        String first = DatabaseAccount.findOrCreate(dataDir, new SecureRandom()).password();

        assertThat(DatabaseAccount.findOrCreate(dataDir, new SecureRandom()).password()).isEqualTo(first);
        assertThat(DatabaseAccount.findOrCreate(Files.createDirectory(dataDir.resolve("other")), new SecureRandom()).password()).isNotEqualTo(first);
    }

    @Test
    void findOrCreate_passwordFileWithSqlInIt_refused() throws Exception {
        Files.writeString(dataDir.resolve(DatabaseAccount.PASSWORD_FILE), "x'; GRANT ALL ON *.* TO 'atrest'@'127.0.0.1'; -- ");

        assertThatThrownBy(() -> DatabaseAccount.findOrCreate(dataDir, new SecureRandom()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not one this service wrote");
    }

    @Test
    void toString_always_hidesThePassword() {
        DatabaseAccount account = DatabaseAccount.findOrCreate(dataDir, new SecureRandom());

        assertThat(account.toString()).doesNotContain(account.password()).contains("redacted");
    }

    @Test
    void script_always_grantsTheSchemaOnlyAndRemovesEveryOtherAccount() {
        String script = AccountSetup.script(DatabaseAccount.findOrCreate(dataDir, new SecureRandom()));

        assertThat(script.lines()).allMatch(line -> line.endsWith(";")).noneMatch(line -> line.startsWith("--"));
        assertThat(script).contains("ON `atrest`.* TO 'atrest'@'127.0.0.1'", "DROP DATABASE IF EXISTS test")
                .doesNotContain("*.*", "GRANT OPTION", "FILE");
    }
}
