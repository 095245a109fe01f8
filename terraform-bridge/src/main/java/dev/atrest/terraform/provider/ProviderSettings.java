package dev.atrest.terraform.provider;

import dev.atrest.terraform.wire.Attribute;
import dev.atrest.terraform.wire.Block;
import dev.atrest.terraform.wire.CtyType;
import dev.atrest.terraform.wire.Unknown;
import dev.atrest.terraform.wire.Values;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The provider block, each setting falling back to an environment variable so CI can configure the
 * provider without touching .tf files (and keep the token out of them).
 *
 * @param endpoint              host:port of the key service's gRPC API
 * @param caCertificateFile     PEM file of the CA that signed the service's certificate; null for plaintext
 * @param clientCertificateFile PEM client certificate for mutual TLS; null for none
 * @param clientKeyFile         PEM (PKCS#8) key of the client certificate
 * @param token                 bearer token sent as {@code authorization} metadata; null for none
 */
public record ProviderSettings(String endpoint, String caCertificateFile, String clientCertificateFile,
        String clientKeyFile, String token) {

    /** The key service's default plaintext gRPC port on the same machine. */
    public static final String DEFAULT_ENDPOINT = "localhost:9090";

    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    public static final Block SCHEMA = Block.of("The atrest key service this provider manages.", List.of(
            Attribute.optional("endpoint", CtyType.STRING,
                    "host:port of the key service's gRPC API. Env: `ATREST_ENDPOINT`. Default `" + DEFAULT_ENDPOINT + "`."),
            Attribute.optional("ca_certificate_file", CtyType.STRING,
                    "PEM file of the CA that signed the service's certificate; setting it turns TLS on. "
                            + "Env: `ATREST_CA_CERTIFICATE_FILE`. Unset: plaintext (local development)."),
            Attribute.optional("client_certificate_file", CtyType.STRING,
                    "PEM client certificate for mutual TLS (needs `ca_certificate_file` and `client_key_file`). "
                            + "Env: `ATREST_CLIENT_CERTIFICATE_FILE`."),
            Attribute.optional("client_key_file", CtyType.STRING,
                    "PEM (PKCS#8) private key of `client_certificate_file`. Env: `ATREST_CLIENT_KEY_FILE`."),
            // Not write_only: Terraform allows that flag on managed resources only, and never stores a
            // provider block in state or plan anyway.
            Attribute.optional("token", CtyType.STRING,
                    "Bearer token (`atrest_…`) sent with every call. Env: `ATREST_TOKEN` (preferred: keeps it "
                            + "out of .tf files). Never stored in state.").asSensitive()));

    /** Settings from the provider block, then the environment, then defaults; problems go to diagnostics. */
    public static ProviderSettings resolve(Map<String, Object> config, Map<String, String> environment,
            Diagnostics diagnostics) {
        // An unknown setting would otherwise read as unset and fall back to the environment or the default:
        // the plan would silently talk to another key service than the one the apply is configured for.
        for (Attribute attribute : SCHEMA.attributes()) {
            if (config.get(attribute.name()) == Unknown.VALUE) {
                diagnostics.attributeError(attribute.name(), attribute.name() + " not known at plan",
                        "the provider needs " + attribute.name() + " before it can plan, but it depends on a value "
                                + "known only after apply (e.g. an attribute of a resource not created yet): set it "
                                + "from a literal, a variable or the environment instead");
            }
        }
        ProviderSettings settings = new ProviderSettings(
                setting(config, environment, "endpoint", "ATREST_ENDPOINT", DEFAULT_ENDPOINT),
                setting(config, environment, "ca_certificate_file", "ATREST_CA_CERTIFICATE_FILE", null),
                setting(config, environment, "client_certificate_file", "ATREST_CLIENT_CERTIFICATE_FILE", null),
                setting(config, environment, "client_key_file", "ATREST_CLIENT_KEY_FILE", null),
                setting(config, environment, "token", "ATREST_TOKEN", null));
        settings.check(diagnostics);
        return settings;
    }

    public boolean usesTls() {
        return caCertificateFile != null;
    }

    public boolean hasClientCertificate() {
        return clientCertificateFile != null;
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
                    "endpoint must be host:port, e.g. \"localhost:9090\"; got " + Diagnostics.quote(endpoint));
        }
        checkReadable(caCertificateFile, "ca_certificate_file", diagnostics);
        checkReadable(clientCertificateFile, "client_certificate_file", diagnostics);
        checkReadable(clientKeyFile, "client_key_file", diagnostics);
        if ((clientCertificateFile == null) != (clientKeyFile == null)) {
            diagnostics.attributeError(clientCertificateFile == null ? "client_key_file" : "client_certificate_file",
                    "incomplete client certificate",
                    "client_certificate_file and client_key_file must be set together");
        }
        if (clientCertificateFile != null && caCertificateFile == null) {
            diagnostics.attributeError("client_certificate_file", "client certificate without TLS",
                    "a client certificate is only sent over TLS: set ca_certificate_file too");
        }
        checkToken(diagnostics);
    }

    /** The token goes into an HTTP/2 header: it must be one visible ASCII word. Never echoed back. */
    private void checkToken(Diagnostics diagnostics) {
        if (token == null) {
            return;
        }
        if (!token.matches("[\\x21-\\x7e]+")) {
            diagnostics.attributeError("token", "invalid token",
                    "token must be a single word of printable ASCII characters (as created by "
                            + "AccessService/CreateAccessToken); the configured value is not");
        } else if (!usesTls() && !LOOPBACK_HOSTS.contains(host())) {
            diagnostics.warning("token sent without TLS",
                    "the token goes in plaintext to " + endpoint + "; set ca_certificate_file to use TLS");
        }
    }

    private String host() {
        return endpoint.substring(0, Math.max(0, endpoint.lastIndexOf(':')));
    }

    private static void checkReadable(String file, String attribute, Diagnostics diagnostics) {
        if (file != null && !Files.isReadable(Path.of(file))) {
            diagnostics.attributeError(attribute, "file not readable", attribute + " names \"" + file
                    + "\", which does not exist or cannot be read");
        }
    }

    @Override
    public String toString() {
        return "ProviderSettings[endpoint=" + endpoint + ", tls=" + usesTls()
                + ", clientCertificate=" + hasClientCertificate() + ", token=" + (token == null ? "unset" : "set") + "]";
    }
}
