package dev.atrest.keyservice.bootstrap;

import dev.atrest.keyservice.access.RefusalGuard;
import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.store.JobLocks;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.PathConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.AbstractConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * Every start-up refusal, made before the embedded database starts and before any port opens: the
 * {@code atrest.*} values (types and ranges), development mode off loopback, the seal key, the TLS files,
 * the gRPC and HTTP ports (a number, and free), and the embedded database's data directory (private).
 * A refusal is one line on stderr naming the setting, and exit status 1; nothing listened, so nothing was
 * served meanwhile. Inside Quarkus the same checks run again ({@link BeforeListening}, {@link GrpcTls},
 * the seal-key producer) for starts that do not pass through {@link KeyServiceMain}.
 */
public final class StartupChecks {
    static final int EXIT_REFUSED = 1;
    private static final Pattern CONVERSION = Pattern.compile(
            "config property (\\S+) with the config value \"(.*)\" threw an Exception whilst being converted (.*)$");

    private StartupChecks() {}

    /** Prints the first refusal and exits, or returns when the service may start. */
    public static void refuseOrContinue(Config config) {
        firstRefusal(config).ifPresent(StartupChecks::refuse);
    }

    /**
     * One line on stderr and exit status 1. Exiting here, before Quarkus configured logging, also keeps
     * the log manager's start-up queue (DEBUG lines included) from being dumped on stderr, as it is when
     * an exception leaves main.
     */
    static void refuse(String reason) {
        System.err.println("atrest: refusing to start: " + reason);
        System.err.flush();
        System.exit(EXIT_REFUSED);
    }

    /** A failure before Quarkus starts (the embedded database, the data directory) as one line. */
    static String describe(RuntimeException refused) {
        String cause = refused.getCause() == null || refused.getCause().getMessage() == null
                || refused.getMessage().contains(refused.getCause().getMessage()) ? ""
                : " (" + refused.getCause().getMessage() + ")";
        return oneLine(refused.getMessage() + cause);
    }

    /** Why the service must not start with {@code config}, in one line; empty when it may. */
    static Optional<String> firstRefusal(Config config) {
        try {
            AtrestConfig atrest = mapped(config);
            check(atrest, config);
            return Optional.empty();
        } catch (ConfigValidationException invalid) {
            return Optional.of(readable(oneLine(invalid.getProblem(0).getMessage())));
        } catch (RuntimeException refused) {
            return Optional.of(describe(refused));
        }
    }

    private static void check(AtrestConfig atrest, Config config) {
        RefusalGuard.checkSettings(atrest.refusals());
        JobLocks.checkLease(atrest.jobs().leaseDuration());
        if (atrest.auth().developmentMode()) {
            AccessStartup.refuseUnlessLoopback(
                    config.getOptionalValue("quarkus.grpc.server.host", String.class).orElse("0.0.0.0"));
        }
        GrpcTls.serverContext(atrest.tls());
        ListeningPorts.refuseTaken(config);
        boolean embedded = config.getOptionalValue("quarkus.datasource.jdbc.url", String.class).isEmpty();
        if (embedded) {
            DataDirectory.prepare(atrest.dataDir());
        }
        boolean generatedKeyExists = Files.exists(atrest.dataDir().resolve(SealKeySource.GENERATED_FILE));
        // With the embedded database and no key yet, the service generates one at start: nothing to check.
        if (!embedded || atrest.seal().key().isPresent() || atrest.seal().keyFile().isPresent() || generatedKeyExists) {
            try (KeyMaterial sealKey = SealKeySource.load(atrest.seal(), atrest.dataDir(), embedded, new SecureRandom())) {
                // readable, 32 bytes: the service can start
            }
        }
    }


    /** The {@code atrest.*} settings as the service will see them: a wrong type or a missing value fails here. */
    private static AtrestConfig mapped(Config config) {
        SmallRyeConfig checked = new SmallRyeConfigBuilder()
                .withSources(new ResolvedValues(config))
                // Quarkus' converters ("10s" is a Duration there), as the service will read the values.
                .addDiscoveredConverters()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(Path.class, 200, new PathConverter())
                .withMapping(AtrestConfig.class)
                .withValidateUnknown(false)
                .build();
        return checked.getConfigMapping(AtrestConfig.class);
    }

    /** SmallRye's "java.lang.IllegalArgumentException: SRCFG00039: The config property x with the config value …" as "x=…: why". */
    private static String readable(String problem) {
        Matcher conversion = CONVERSION.matcher(problem);
        if (conversion.find()) {
            return conversion.group(1) + "=\"" + conversion.group(2) + "\" cannot be used: " + conversion.group(3)
                    .replaceAll("\\b(java\\.[\\w.]+\\.)?\\w+Exception: ", "");
        }
        return problem.replaceFirst("^[\\w.$]+: ", "").replaceAll("SRCFG\\d+: ", "");
    }

    private static String oneLine(String message) {
        return String.valueOf(message).replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    /** The values {@code config} resolves (profile, expressions, environment), as one source. */
    private static final class ResolvedValues extends AbstractConfigSource {
        private final transient Config config;

        ResolvedValues(Config config) {
            super("atrest start-up checks", 0);
            this.config = config;
        }

        @Override
        public Set<String> getPropertyNames() {
            Set<String> names = new HashSet<>();
            config.getPropertyNames().forEach(name -> {
                if (name.startsWith("atrest.")) {
                    names.add(name);
                }
            });
            return names;
        }

        @Override
        public String getValue(String name) {
            return name.startsWith("atrest.") ? config.getConfigValue(name).getValue() : null;
        }
    }
}
