package dev.atrest.keyservice.support;

import dev.atrest.keyservice.bootstrap.EmbeddedMariaDb;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MariaDB the integration tests run the packaged service on, one per test JVM: a fresh database on
 * the server ATREST_TEST_JDBC_URL names (CI sets it), otherwise an embedded MariaDB under
 * target/it-data. A fresh database keeps the services' periodic checks away from other suites' rows.
 */
public final class ItDatabase {
    private static final Pattern URL = Pattern.compile("^(jdbc:[a-z]+://[^/]+/)([^?]*)(\\?.*)?$");
    private static ItDatabase shared;
    /**
     * The seal key of every service the integration tests start on the shared database. They are the replicas
     * and restarts of one deployment, so they share its seal key: token rows and the audit chain one test's
     * service MAC'd under keys derived from it must verify under the next test's service.
     */
    private static final String SHARED_SEAL_KEY = newSealKey();

    private final String jdbcUrl;
    private final String user;
    private final String password;

    private ItDatabase(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    public static synchronized ItDatabase shared() {
        if (shared == null) {
            shared = TestDatabase.external() ? external() : embedded();
        }
        return shared;
    }

    /** A database a test started itself, e.g. one it stops and starts under the service. */
    public static ItDatabase at(String jdbcUrl, String user, String password) {
        return new ItDatabase(jdbcUrl, user, password);
    }

    private static ItDatabase embedded() {
        Path dir = Path.of("target", "it-data", "mariadb-" + UUID.randomUUID().toString().substring(0, 8));
        EmbeddedMariaDb db = EmbeddedMariaDb.start(dir);
        Runtime.getRuntime().addShutdownHook(new Thread(db::close, "it-mariadb-stop"));
        return new ItDatabase(db.jdbcUrl(), db.account().user(), db.account().password());
    }

    private static ItDatabase external() {
        String url = System.getenv("ATREST_TEST_JDBC_URL");
        String user = envOr("ATREST_TEST_JDBC_USER", "root");
        String password = envOr("ATREST_TEST_JDBC_PASSWORD", "");
        Matcher parts = URL.matcher(url);
        if (!parts.matches()) {
            return new ItDatabase(url, user, password);
        }
        String name = "atrest_it_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            // No right to create databases: share the given one; the tests' project ids are unique anyway.
            return new ItDatabase(url, user, password);
        }
        return new ItDatabase(parts.group(1) + name + (parts.group(3) == null ? "" : parts.group(3)), user, password);
    }

    /** The seal key (base64) of the deployment the shared database belongs to. */
    public static String sharedSealKey() {
        return SHARED_SEAL_KEY;
    }

    private static String newSealKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
