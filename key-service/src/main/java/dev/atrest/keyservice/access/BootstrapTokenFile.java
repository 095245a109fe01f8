package dev.atrest.keyservice.access;

import dev.atrest.keyservice.domain.BearerTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * The file that hands the bootstrap token to the operator: the one place a token secret is on disk, by
 * design, readable by the service's user only. It is created complete or not at all (written to a
 * temporary file, then hard-linked into place, which fails if the name exists), so a second process never
 * reads half a token.
 */
final class BootstrapTokenFile {
    /** @param createdHere whether this process wrote the file (and may remove it again) */
    record Secret(String value, boolean createdHere) {
        @Override
        public String toString() {
            return "Secret[(hidden), createdHere=" + createdHere + "]";
        }
    }

    private BootstrapTokenFile() {}

    static Secret readOrCreate(Path file, SecureRandom random) {
        if (Files.exists(file)) {
            return new Secret(read(file), false);
        }
        String secret = BearerTokens.newSecret(random);
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, ".bootstrap-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(temp, secret + "\n", StandardCharsets.US_ASCII);
                Files.createLink(file, temp);
                return new Secret(secret, true);
            } catch (FileAlreadyExistsException createdMeanwhile) {
                return new Secret(read(file), false);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bootstrap token file " + file.toAbsolutePath(), e);
        }
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the bootstrap token file " + file.toAbsolutePath(), e);
        }
    }

    private static String read(Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bootstrap token file " + file.toAbsolutePath(), e);
        }
        if (!BearerTokens.isWellFormed(content)) {
            throw new IllegalStateException("the bootstrap token file " + file.toAbsolutePath()
                    + " does not hold a token ('atrest_' followed by 43 characters of A-Z, a-z, 0-9, '_' or '-');"
                    + " fix or remove it");
        }
        return content;
    }
}
