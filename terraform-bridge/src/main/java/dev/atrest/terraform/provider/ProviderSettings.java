package dev.atrest.terraform.provider;

import dev.atrest.terraform.wire.Attribute;
import dev.atrest.terraform.wire.Block;
import dev.atrest.terraform.wire.CtyType;
import dev.atrest.terraform.wire.Values;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The provider block, each setting falling back to an environment variable so CI can configure the
 * provider without touching .tf files.
 *
 * @param endpoint       host:port of the key service's gRPC API
 * @param tlsCaFile      PEM file of the CA that signed the service's certificate; null for plaintext
 * @param clientCertFile PEM client certificate for mutual TLS; null for none
 * @param clientKeyFile  PEM (PKCS#8) key of the client certificate
 * @param token          bearer token sent as {@code authorization} metadata; null for none
 */
public record ProviderSettings(String endpoint, String tlsCaFile, String clientCertFile, String clientKeyFile,
        String token) {

    /** The key service's default plaintext gRPC port on the same machine. */
    public static final String DEFAULT_ENDPOINT = "localhost:9090";

    public static final Block SCHEMA = Block.of("The atrest key service this provider manages.", List.of(
            Attribute.optional("endpoint", CtyType.STRING,
                    "host:port of the key service's gRPC API. Env: `ATREST_ENDPOINT`. Default `" + DEFAULT_ENDPOINT + "`."),
            Attribute.optional("tls_ca_file", CtyType.STRING,
                    "PEM file of the CA that signed the service's certificate; setting it turns TLS on. "
                            + "Env: `ATREST_TLS_CA_FILE`. Unset: plaintext (local development)."),
            Attribute.optional("client_cert_file", CtyType.STRING,
                    "PEM client certificate for mutual TLS (needs `tls_ca_file`). Env: `ATREST_CLIENT_CERT_FILE`."),
            Attribute.optional("client_key_file", CtyType.STRING,
                    "PEM (PKCS#8) private key of `client_cert_file`. Env: `ATREST_CLIENT_KEY_FILE`."),
            Attribute.optional("token", CtyType.STRING,
                    "Bearer token sent with every call, for services that require authentication. "
                            + "Env: `ATREST_TOKEN`.").asSensitive()));

    /** Settings from the provider block, then the environment, then defaults; problems go to diagnostics. */
    public static ProviderSettings resolve(Map<String, Object> config, Map<String, String> environment,
            Diagnostics diagnostics) {
        ProviderSettings settings = new ProviderSettings(
                setting(config, environment, "endpoint", "ATREST_ENDPOINT", DEFAULT_ENDPOINT),
                setting(config, environment, "tls_ca_file", "ATREST_TLS_CA_FILE", null),
                setting(config, environment, "client_cert_file", "ATREST_CLIENT_CERT_FILE", null),
                setting(config, environment, "client_key_file", "ATREST_CLIENT_KEY_FILE", null),
                setting(config, environment, "token", "ATREST_TOKEN", null));
        settings.check(diagnostics);
        return settings;
    }

    private static String setting(Map<String, Object> config, Map<String, String> environment, String attribute,
            String variable, String fallback) {
        String configured = Values.string(config, attribute);
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        String fromEnvironment = environment.get(variable);
        return fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment.trim() : fallback;
    }

    private void check(Diagnostics diagnostics) {
        if (!endpoint.matches("[^\\s/]+:\\d{1,5}")) {
            diagnostics.attributeError("endpoint", "invalid endpoint",
                    "endpoint must be host:port, e.g. \"localhost:9090\"; got \"" + endpoint + "\"");
        }
        checkReadable(tlsCaFile, "tls_ca_file", diagnostics);
        checkReadable(clientCertFile, "client_cert_file", diagnostics);
        checkReadable(clientKeyFile, "client_key_file", diagnostics);
        if ((clientCertFile == null) != (clientKeyFile == null)) {
            diagnostics.attributeError(clientCertFile == null ? "client_cert_file" : "client_key_file",
                    "incomplete client certificate", "client_cert_file and client_key_file must be set together");
        }
        if (clientCertFile != null && tlsCaFile == null) {
            diagnostics.attributeError("tls_ca_file", "client certificate without TLS",
                    "a client certificate is only sent over TLS: set tls_ca_file too");
        }
    }

    private static void checkReadable(String file, String attribute, Diagnostics diagnostics) {
        if (file != null && !Files.isReadable(Path.of(file))) {
            diagnostics.attributeError(attribute, "file not readable", attribute + " names \"" + file
                    + "\", which does not exist or cannot be read");
        }
    }

    @Override
    public String toString() {
        return "ProviderSettings[endpoint=" + endpoint + ", tls=" + (tlsCaFile != null)
                + ", clientCert=" + (clientCertFile != null) + ", token=" + (token == null ? "unset" : "set") + "]";
    }
}
