package dev.atrest.examples.client;

import java.util.Map;

/**
 * Where the key service is and how this service proves who it is, from the environment (the same names the
 * Terraform provider reads), so no secret is ever on a command line where {@code ps} shows it.
 *
 * @param address               host:port of the key service's gRPC API
 * @param token                 bearer token of a KEY_CONSUMER for the project, or null
 * @param caCertificateFile     PEM CA that signed the service's certificate; null means plaintext
 * @param clientCertificateFile PEM client certificate for mutual TLS, or null
 * @param clientKeyFile         its PKCS#8 PEM private key, or null
 */
record ClientSettings(String address, String token, String caCertificateFile, String clientCertificateFile,
        String clientKeyFile) {

    static ClientSettings fromEnvironment(Map<String, String> environment) {
        ClientSettings settings = new ClientSettings(
                environment.getOrDefault("ATREST_ADDR", "localhost:9090"),
                nonBlank(environment.get("ATREST_TOKEN")),
                nonBlank(environment.get("ATREST_CA_CERTIFICATE_FILE")),
                nonBlank(environment.get("ATREST_CLIENT_CERTIFICATE_FILE")),
                nonBlank(environment.get("ATREST_CLIENT_KEY_FILE")));
        settings.check();
        return settings;
    }

    boolean usesTls() {
        return caCertificateFile != null;
    }

    private void check() {
        if ((clientCertificateFile == null) != (clientKeyFile == null)) {
            throw new IllegalArgumentException(
                    "ATREST_CLIENT_CERTIFICATE_FILE and ATREST_CLIENT_KEY_FILE must be set together");
        }
        if (clientCertificateFile != null && !usesTls()) {
            throw new IllegalArgumentException(
                    "a client certificate is only sent over TLS: set ATREST_CA_CERTIFICATE_FILE too");
        }
        if (token == null && clientCertificateFile == null) {
            throw new IllegalArgumentException(
                    "no credentials: set ATREST_TOKEN, or ATREST_CLIENT_CERTIFICATE_FILE and ATREST_CLIENT_KEY_FILE");
        }
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    @Override
    public String toString() {
        return "ClientSettings[address=" + address + ", tls=" + usesTls() + ", token="
                + (token == null ? "unset" : "set") + ", clientCertificate=" + (clientCertificateFile != null) + "]";
    }
}
