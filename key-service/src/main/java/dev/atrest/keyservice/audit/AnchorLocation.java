package dev.atrest.keyservice.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the anchor file may be: anywhere but inside the data directory. A copy or a restore of the data
 * directory (the embedded database's files, a backup) must never carry the anchor along with the log it
 * vouches for, or rolling both back together would pass.
 */
final class AnchorLocation {
    private AnchorLocation() {}

    /** The configured file, or the default {@code <data-dir>.audit-anchor} beside the data directory. */
    static Path resolve(Path dataDir, java.util.Optional<Path> configured) {
        Path data = dataDir.toAbsolutePath().normalize();
        Path file = configured.orElseGet(() -> data.resolveSibling(data.getFileName() + ".audit-anchor"))
                .toAbsolutePath().normalize();
        if (inside(file, data)) {
            throw new IllegalStateException("atrest.audit.anchor.file (" + file + ") lies inside atrest.data-dir ("
                    + data + "), where a copy or restore of the data directory carries it along: choose a file outside it");
        }
        return file;
    }

    /** Whether {@code file} is {@code dir} or under it, as written or once symbolic links are followed. */
    static boolean inside(Path file, Path dir) {
        return file.startsWith(dir) || realOrSelf(file).startsWith(realOrSelf(dir));
    }

    /** The real path of the nearest existing ancestor, with the rest appended. */
    private static Path realOrSelf(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(path)).normalize();
        } catch (IOException e) {
            return path;
        }
    }
}
