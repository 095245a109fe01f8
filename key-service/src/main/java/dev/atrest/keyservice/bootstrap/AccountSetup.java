package dev.atrest.keyservice.bootstrap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The accounts of the embedded MariaDB, put in order at every start by mariadbd itself (its
 * {@code --init-file}, run before the first connection is served): every account but
 * {@code root@localhost} (kept, reachable only by the OS user root over the Unix socket in a private
 * directory) and MariaDB's own {@code mariadb.sys} is removed, anonymous ones included, the {@code test}
 * database goes, and the application account is (re)created with privileges on the {@code atrest}
 * schema only. A data directory made by an earlier version, which ran with the grant tables off, is
 * upgraded by the same script on its first start, its data untouched; on later starts the script
 * changes nothing, and costs a few milliseconds rather than a second start of the server.
 */
final class AccountSetup {
    /** What Flyway and the service need in their own schema; nothing global (no FILE, SUPER, PROCESS, GRANT OPTION). */
    static final String SCHEMA_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, REFERENCES, "
            + "CREATE TEMPORARY TABLES, LOCK TABLES, CREATE VIEW, SHOW VIEW, TRIGGER";
    private static final String FILE_NAME = "account-setup.sql";

    private AccountSetup() {}

    /**
     * Writes the script (it holds the password) readable by this OS user only, into {@code privateDir}
     * (mode 0700); the caller deletes it once the server has started.
     */
    static Path writeScript(Path privateDir, DatabaseAccount account) throws IOException {
        Path file = privateDir.resolve(FILE_NAME);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, script(account), StandardCharsets.UTF_8);
        return file;
    }

    /** One statement a line, no comments: what --init-file reads. */
    static String script(DatabaseAccount account) {
        String app = "'" + DatabaseAccount.USER + "'@'127.0.0.1'";
        return String.join("\n",
                "DROP DATABASE IF EXISTS test;",
                "DELETE FROM mysql.global_priv WHERE NOT ((User = 'root' AND Host = 'localhost') OR User = 'mariadb.sys');",
                "DELETE FROM mysql.db WHERE User <> 'mariadb.sys';",
                "DELETE FROM mysql.tables_priv WHERE User <> 'mariadb.sys';",
                "DELETE FROM mysql.columns_priv WHERE User <> 'mariadb.sys';",
                "DELETE FROM mysql.procs_priv WHERE User <> 'mariadb.sys';",
                "DELETE FROM mysql.proxies_priv WHERE NOT (User = 'root' AND Host = 'localhost');",
                "DELETE FROM mysql.roles_mapping;",
                "FLUSH PRIVILEGES;",
                "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket;",
                "CREATE DATABASE IF NOT EXISTS `" + EmbeddedMariaDb.DATABASE + "`;",
                "CREATE USER " + app + " IDENTIFIED BY " + account.passwordLiteral() + ";",
                "GRANT " + SCHEMA_PRIVILEGES + " ON `" + EmbeddedMariaDb.DATABASE + "`.* TO " + app + ";",
                "");
    }
}
