package dev.atrest.keyservice.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options file of an {@link EngineServer}: where its files live, every kind of encryption at rest MariaDB
 * has turned on, and the key plugin's lines, which a test may change before the next start.
 */
final class EngineOptions {
    /** A Unix socket path may be at most 107 bytes; a deep checkout falls back to a short temporary directory. */
    private static final int SOCKET_PATH_LIMIT = 100;
    private static final Path PLUGIN = Path.of("/usr/lib/mysql/plugin/hashicorp_key_management.so");

    private final Map<String, String> keyPlugin = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final boolean encrypted;

    private EngineOptions(Map<String, String> keyPlugin, boolean encrypted) {
        this.keyPlugin.putAll(keyPlugin);
        this.encrypted = encrypted;
    }

    /**
     * The control: the same server with file_key_management loaded but every encryption option off, on which the
     * marker scan must find the marker in each kind of file (else a clean scan of an encrypted server means nothing).
     */
    static EngineOptions unencrypted(Path keyFile) {
        return new EngineOptions(fileKeys(keyFile).keyPlugin, false);
    }

    /** MariaDB's own file_key_management with the key file {@code keyFile} ("id;hex" lines). */
    static EngineOptions fileKeys(Path keyFile) {
        return new EngineOptions(Map.of("plugin_load_add", "file_key_management",
                "file_key_management_filename", keyFile.toAbsolutePath().toString()), true);
    }

    /**
     * The Debian package's hashicorp_key_management reading keys from {@code vaultUrl} with {@code token}. Key
     * versions are cached for one second only, so MariaDB's key rotation sees a new version soon after atrest
     * makes it; key data stays cached (the plugin's default, 60 s) as a DBA would leave it.
     */
    static EngineOptions vault(String vaultUrl, String token) {
        if (!Files.exists(PLUGIN)) {
            throw new IllegalStateException(PLUGIN + " not found: apt-get install mariadb-plugin-hashicorp-key-management"
                    + " (.ci/run does)");
        }
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("plugin_load_add", "hashicorp_key_management");
        lines.put("hashicorp-key-management-vault-url", vaultUrl);
        lines.put("hashicorp-key-management-cache-version-timeout", "1000");
        lines.put("hashicorp-key-management-timeout", "5");
        lines.put("hashicorp-key-management-max-retries", "1");
        return new EngineOptions(lines, true).token(token);
    }

    /**
     * The plugin's token for the next start. It travels in VAULT_TOKEN (the plugin reads it when the option is
     * unset), not in the options file: a secret stays out of a file every reader of the checkout can open, and
     * out of target/, which the leak scan reads.
     */
    EngineOptions token(String token) {
        environment.put("VAULT_TOKEN", token);
        return this;
    }

    Map<String, String> environment() {
        return environment;
    }

    /** Changes (or adds) one key-plugin line for the next start. */
    EngineOptions set(String option, String value) {
        keyPlugin.put(option, value);
        return this;
    }

    String get(String option) {
        return keyPlugin.get(option);
    }

    String render(EngineServer server) {
        StringBuilder cnf = new StringBuilder("[mariadbd]\n");
        line(cnf, "user", "root"); // see EngineServer.install
        line(cnf, "datadir", server.dataDir());
        line(cnf, "tmpdir", server.tmpDir());
        line(cnf, "socket", socket(server));
        line(cnf, "pid-file", server.dir().resolve("mariadbd.pid"));
        line(cnf, "log-error", server.errorLogFile());
        line(cnf, "port", server.port());
        line(cnf, "bind-address", "127.0.0.1");
        line(cnf, "skip-name-resolve", "ON");
        // Small caches, so that what the tests write reaches files while they look, not only at shutdown.
        line(cnf, "innodb_buffer_pool_size", "16M");
        line(cnf, "aria_pagecache_buffer_size", "1M");
        line(cnf, "innodb_log_file_size", "16M");
        // A binary log too, so that encrypt_binlog has something to encrypt.
        line(cnf, "log_bin", server.dataDir().resolve("binlog"));
        line(cnf, "server_id", "1");
        keyPlugin.forEach((option, value) -> line(cnf, option, value));
        if (!encrypted) {
            return cnf.toString();
        }
        line(cnf, "innodb_encrypt_tables", "FORCE");
        line(cnf, "innodb_encrypt_log", "ON");
        line(cnf, "innodb_encrypt_temporary_tables", "ON");
        line(cnf, "encrypt_tmp_files", "ON");
        line(cnf, "encrypt_tmp_disk_tables", "ON");
        line(cnf, "aria_encrypt_tables", "ON");
        line(cnf, "encrypt_binlog", "ON");
        line(cnf, "innodb_encryption_threads", "2");
        // Re-encrypt a page as soon as its key version is one behind the latest: key rotation becomes visible.
        line(cnf, "innodb_encryption_rotate_key_age", "1");
        return cnf.toString();
    }

    private static void line(StringBuilder cnf, String option, Object value) {
        cnf.append(option).append('=').append(value).append('\n');
    }

    private static Path socket(EngineServer server) {
        Path socket = server.dir().resolve("mariadbd.sock");
        if (socket.toString().length() <= SOCKET_PATH_LIMIT) {
            return socket;
        }
        try {
            return Files.createTempDirectory("atrest-engine-").resolve("mariadbd.sock");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
