package dev.atrest.keyservice.vault;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns {@code atrest.vault-api.*} and {@code atrest.tls.*} into the settings of Quarkus' HTTP server, which
 * serves the Vault API and nothing else (metrics are on the management interface). An operator sets one
 * port and one pair of TLS files for the whole service; the HTTP server's several settings that must agree
 * with each other (host enabled, plaintext or TLS port, no plaintext beside TLS) are derived here, so they
 * cannot disagree. Explicit {@code quarkus.http.*} system properties or environment variables still win
 * (ordinal below theirs, above application.properties): tests pass their own free ports that way.
 */
public class VaultApiServerSettings implements ConfigSourceFactory {
    static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean enabled = value(context, "atrest.vault-api.enabled").map(Boolean::parseBoolean).orElse(false);
        String port = value(context, "atrest.vault-api.port").orElse("8200");
        Map<String, String> http = new HashMap<>();
        // Off: Quarkus starts no HTTP listener at all (the management interface is a server of its own).
        http.put("quarkus.http.host-enabled", String.valueOf(enabled));
        http.put("quarkus.http.host", value(context, "atrest.vault-api.host").orElse("127.0.0.1"));
        http.put("quarkus.http.port", port);
        Optional<String> certificate = value(context, "atrest.tls.certificate-file");
        Optional<String> key = value(context, "atrest.tls.key-file");
        if (certificate.isPresent() && key.isPresent()) {
            http.put("quarkus.http.ssl.certificate.files", certificate.get());
            http.put("quarkus.http.ssl.certificate.key-files", key.get());
            http.put("quarkus.http.ssl-port", port);
            // Tokens are bearer secrets: with TLS configured there is no plaintext port beside it.
            http.put("quarkus.http.insecure-requests", "disabled");
        }
        return List.of(new PropertiesConfigSource(http, "atrest.vault-api settings", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static Optional<String> value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank()
                ? Optional.empty() : Optional.of(value.getValue().strip());
    }
}
