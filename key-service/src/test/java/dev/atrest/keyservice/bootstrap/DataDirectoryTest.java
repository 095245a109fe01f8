package dev.atrest.keyservice.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The data directory is the service's OS user's alone: made 0700, closed when older, refused when not its own. */
class DataDirectoryTest {

    @Test
    void prepare_newDirectory_madePrivate() throws Exception {
        Path dir = fresh("new");

        Path prepared = DataDirectory.prepare(dir);

        assertThat(prepared).isDirectory().isAbsolute();
        assertThat(Files.getPosixFilePermissions(prepared)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void prepare_directoryOfAnEarlierVersionReadableByOthers_closed() throws Exception {
        Path dir = Files.createDirectories(fresh("open"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

        DataDirectory.prepare(dir);

        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void prepare_directoryOthersMayWrite_refusedNamingTheSetting() throws Exception {
        Path dir = Files.createDirectories(fresh("writable"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> DataDirectory.prepare(dir)).isInstanceOf(SettingRefused.class)
                .hasMessageStartingWith("atrest.data-dir: ").hasMessageContaining("may be written by other users");
        assertThat(Files.getPosixFilePermissions(dir)).as("left as found").isEqualTo(PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @Test
    void prepare_directoryOfAnotherUser_refusedNamingTheSetting() throws Exception {
        Path dir = Files.createDirectories(fresh("foreign"));
        UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(dir, nobody); // the suite runs as root (CI does)

        assertThatThrownBy(() -> DataDirectory.prepare(dir)).isInstanceOf(SettingRefused.class)
                .hasMessageStartingWith("atrest.data-dir: ").hasMessageContaining("not to this user");
    }

    private static Path fresh(String name) {
        return Path.of("target", "test-data", "datadir-" + name + "-" + UUID.randomUUID().toString().substring(0, 8));
    }
}
