package dev.atrest.keyservice.bootstrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The embedded MariaDB's application account: the only login that reaches the {@code atrest} schema over
 * TCP. Its password is made at the first start and kept in the data directory, readable by the
 * service's OS user only; it never appears on a command line or in a log.
 */
public final class DatabaseAccount {
    /** The account's name; it may log in from 127.0.0.1 only. */
    public static final String USER = "atrest";
    static final String PASSWORD_FILE = "database-password";
    private static final int PASSWORD_BYTES = 32;

    private final String password;

    private DatabaseAccount(String password) {
        this.password = password;
    }

    /** The account recorded in {@code dataDir}; at the first start there, a new one with a random password. */
    static DatabaseAccount findOrCreate(Path dataDir, SecureRandom random) {
        Path file = dataDir.resolve(PASSWORD_FILE);
        try {
            if (!Files.exists(file)) {
                byte[] bytes = new byte[PASSWORD_BYTES];
                random.nextBytes(bytes);
                write(file, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
            }
            String password = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (!password.matches("[A-Za-z0-9_-]{16,128}")) {
                // It goes into SQL that runs with every right: accept only what this class writes.
                throw new IllegalStateException("the database password file " + file
                        + " is not one this service wrote (16 to 128 base64url characters): delete it to have a new one made");
            }
            return new DatabaseAccount(password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the database password file " + file, e);
        }
    }

    /** Mode 0600 from the moment it exists; renamed into place, so a crash leaves no half-written password. */
    private static void write(Path file, String password) throws IOException {
        Path pending = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(pending);
        Files.createFile(pending, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(pending, password + "\n", StandardCharsets.US_ASCII);
        Files.move(pending, file, StandardCopyOption.ATOMIC_MOVE);
    }

    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    /** For SQL text only; the password is base64url, so it holds no quote or backslash. */
    String passwordLiteral() {
        return "'" + password + "'";
    }

    @Override
    public String toString() {
        return "DatabaseAccount[" + USER + "@127.0.0.1, password redacted]";
    }
}
