package dev.atrest.keyservice.bootstrap;

import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.crypto.KeyMaterial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Finds the key that seals stored secrets: from configuration (value or file), or, only with the
 * embedded database, generated once into the data directory. With an external database every replica
 * must share one seal key, so generating one locally there would silently split the fleet: refuse.
 */
final class SealKeySource {
    static final String GENERATED_FILE = "seal.key";

    private SealKeySource() {}

    static KeyMaterial load(AtrestConfig.Seal seal, Path dataDir, boolean embeddedDb, SecureRandom random) {
        if (seal.key().isPresent()) {
            return decode(seal.key().get(), "atrest.seal.key");
        }
        if (seal.keyFile().isPresent()) {
            return decode(readConfigured(seal.keyFile().get()), "atrest.seal.key-file");
        }
        if (!embeddedDb) {
            throw new IllegalStateException("no seal key: with an external database set ATREST_SEAL_KEY "
                    + "(32 random bytes in base64, e.g. `openssl rand -base64 32`) or atrest.seal.key-file, "
                    + "the same on every replica");
        }
        return decode(readOrCreate(dataDir.resolve(GENERATED_FILE), random), dataDir.resolve(GENERATED_FILE).toString());
    }

    private static KeyMaterial decode(String base64, String source) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the seal key in " + source + " is not base64");
        }
        if (bytes.length != KeyMaterial.LENGTH_BYTES) {
            Arrays.fill(bytes, (byte) 0);
            throw new IllegalStateException("the seal key in " + source + " must be 32 bytes, base64-encoded");
        }
        return KeyMaterial.takeOwnership(bytes);
    }

    private static String readOrCreate(Path file, SecureRandom random) {
        try {
            Files.createDirectories(file.getParent());
            byte[] key = new byte[KeyMaterial.LENGTH_BYTES];
            random.nextBytes(key);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
            } catch (FileAlreadyExistsException alreadyThere) {
                // another start created it first: use that one
            } finally {
                Arrays.fill(key, (byte) 0);
            }
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the seal key file " + file, e);
        }
    }

    private static String readConfigured(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new SettingRefused("atrest.seal.key-file", "cannot read the seal key file " + file + ": "
                    + SettingRefused.reason(e), "point it at a readable file holding 32 bytes in base64");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the seal key file " + file, e);
        }
    }
}
