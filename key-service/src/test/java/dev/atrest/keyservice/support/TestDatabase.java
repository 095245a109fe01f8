package dev.atrest.keyservice.support;

import dev.atrest.keyservice.bootstrap.EmbeddedMariaDb;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The database every @QuarkusTest runs on: a fresh embedded MariaDB under target/, or, when
 * ATREST_TEST_JDBC_URL is set (CI does), that external MariaDB, so the same suite covers both.
 */
public class TestDatabase implements QuarkusTestResourceLifecycleManager {
    /** A test-only seal key (base64 of 32 bytes), committed on purpose. */
    private static final String EXTERNAL_DATABASE_SEAL_KEY = Base64.getEncoder().encodeToString(
            "atrest test seal key, 32 bytes!!".getBytes(StandardCharsets.US_ASCII));
    private EmbeddedMariaDb embedded;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        Path dataDir = Path.of("target", "test-data", UUID.randomUUID().toString()).toAbsolutePath();
        config.put("atrest.data-dir", dataDir.toString());
        String external = System.getenv("ATREST_TEST_JDBC_URL");
        if (external != null && !external.isBlank()) {
            config.put("quarkus.datasource.jdbc.url", external);
            config.put("quarkus.datasource.username", envOr("ATREST_TEST_JDBC_USER", "root"));
            config.put("quarkus.datasource.password", envOr("ATREST_TEST_JDBC_PASSWORD", ""));
            // One seal key for every test run on the external database, as every replica and restart of a
            // deployment shares one: what an earlier test profile or run sealed, and the audit chain it
            // MAC'd under a key derived from it, must stay readable and verifiable.
            config.put("atrest.seal.key", EXTERNAL_DATABASE_SEAL_KEY);
            return config;
        }
        embedded = EmbeddedMariaDb.start(dataDir);
        config.put("quarkus.datasource.jdbc.url", embedded.jdbcUrl());
        config.put("quarkus.datasource.username", embedded.account().user());
        config.put("quarkus.datasource.password", embedded.account().password());
        config.put("atrest.embedded-db.active", "true");
        return config;
    }

    @Override
    public void stop() {
        if (embedded != null) {
            embedded.close();
        }
    }

    public static boolean external() {
        String external = System.getenv("ATREST_TEST_JDBC_URL");
        return external != null && !external.isBlank();
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
