package dev.atrest.keyservice.support;

import dev.atrest.keyservice.bootstrap.EmbeddedMariaDb;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The database every @QuarkusTest runs on: a fresh embedded MariaDB under target/, or, when
 * ATREST_TEST_JDBC_URL is set (CI does), that external MariaDB, so the same suite covers both.
 */
public class TestDatabase implements QuarkusTestResourceLifecycleManager {
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
            byte[] sealKey = new byte[32];
            new SecureRandom().nextBytes(sealKey);
            config.put("atrest.seal.key", Base64.getEncoder().encodeToString(sealKey));
            return config;
        }
        embedded = EmbeddedMariaDb.start(dataDir);
        config.put("quarkus.datasource.jdbc.url", embedded.jdbcUrl());
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
