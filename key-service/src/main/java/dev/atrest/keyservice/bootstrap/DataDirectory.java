package dev.atrest.keyservice.bootstrap;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The embedded database's data directory: it holds the seal key, the database password, LOCAL root keys
 * and the MariaDB binaries the service runs, so it must be the service's OS user's alone: owned by that
 * user and mode 0700. A new one is made so; one made by an earlier version (0755) is closed at its first
 * start; one that another user owns or may write to is refused, since whatever is in it may have been
 * planted. A directory under /tmp is allowed (a checkout there starts), with a warning.
 */
final class DataDirectory {
    static final String SETTING = "atrest.data-dir";
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    private static final Logger LOG = Logger.getLogger(DataDirectory.class);

    private DataDirectory() {}

    /** The directory, absolute, existing and private. @throws SettingRefused when it cannot be made so */
    static Path prepare(Path configured) {
        Path root = configured.toAbsolutePath().normalize();
        try {
            createPrivate(root);
            checkOwnedAndClosed(root);
        } catch (IOException e) {
            throw new SettingRefused(SETTING, "cannot create or read " + root + ": " + SettingRefused.reason(e),
                    "choose a directory this user may create and write");
        }
        return root;
    }

    /** A directory under /tmp works (a checkout there starts), but the system may clean it: say so, once per start. */
    static void warnIfTemporary(Path root) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        if (root.startsWith(tmp)) {
            LOG.warnf("the data directory %s is under %s, which the system may clean (at reboot, or files unused for"
                    + " days): fine for a try-out, not for keys you keep; set %s elsewhere for those", root, tmp, SETTING);
        }
    }

    private static void createPrivate(Path root) throws IOException {
        if (Files.isDirectory(root)) {
            return;
        }
        if (root.getParent() != null) {
            Files.createDirectories(root.getParent());
        }
        try {
            Files.createDirectory(root, PosixFilePermissions.asFileAttribute(PRIVATE));
        } catch (FileAlreadyExistsException raced) {
            if (!Files.isDirectory(root)) {
                throw new SettingRefused(SETTING, root + " is not a directory", "point it at a directory");
            }
        }
    }

    private static void checkOwnedAndClosed(Path root) throws IOException {
        long owner = ((Number) Files.getAttribute(root, "unix:uid")).longValue();
        long self = new UnixSystem().getUid();
        if (owner != self) {
            throw new SettingRefused(SETTING, root + " belongs to uid " + owner + ", not to this user (uid " + self + ")",
                    "use a directory of this user's own");
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(root);
        if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new SettingRefused(SETTING, root + " may be written by other users (mode "
                    + PosixFilePermissions.toString(mode) + ")", "check what is in it, then chmod 700 it, or choose another");
        }
        if (!mode.equals(PRIVATE)) {
            Files.setPosixFilePermissions(root, PRIVATE);
        }
    }
}
