package dev.atrest.terraform.plugin;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * What Terraform/OpenTofu tells a plugin through its environment (go-plugin's handshake), checked.
 *
 * @param minPort          first port we may listen on
 * @param maxPort          last port we may listen on
 * @param clientCertPem    Terraform's client certificate when it wants mTLS (AutoMTLS); empty for plaintext
 */
public record HandshakeConfig(int minPort, int maxPort, Optional<String> clientCertPem) {

    public static final String MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE";
    public static final String MAGIC_COOKIE_VALUE =
            "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
    public static final int CORE_PROTOCOL_VERSION = 1;
    public static final int APP_PROTOCOL_VERSION = 6;

    /** go-plugin's own defaults when Terraform does not set a range. */
    private static final int DEFAULT_MIN_PORT = 10000;
    private static final int DEFAULT_MAX_PORT = 25000;

    public static HandshakeConfig fromEnvironment(Map<String, String> environment) throws HandshakeRefused {
        if (!MAGIC_COOKIE_VALUE.equals(environment.get(MAGIC_COOKIE_KEY))) {
            throw new HandshakeRefused("""
                    This binary is a plugin for Terraform and OpenTofu (the atrest provider). It is not meant \
                    to be run directly: add it to a configuration's required_providers and run `tofu init` \
                    or `terraform init` instead.""");
        }
        String offered = environment.getOrDefault("PLUGIN_PROTOCOL_VERSIONS", "");
        boolean offersSix = Arrays.stream(offered.split(",")).map(String::trim)
                .anyMatch(version -> version.equals(String.valueOf(APP_PROTOCOL_VERSION)));
        if (!offersSix) {
            throw new HandshakeRefused("this provider speaks plugin protocol 6 only; the client offered ["
                    + offered + "]: use Terraform 1.0 or newer, or any OpenTofu");
        }
        int minPort = port(environment, "PLUGIN_MIN_PORT", DEFAULT_MIN_PORT);
        int maxPort = port(environment, "PLUGIN_MAX_PORT", DEFAULT_MAX_PORT);
        if (minPort > maxPort) {
            throw new HandshakeRefused("PLUGIN_MIN_PORT " + minPort + " is above PLUGIN_MAX_PORT " + maxPort);
        }
        String clientCert = environment.getOrDefault("PLUGIN_CLIENT_CERT", "").trim();
        return new HandshakeConfig(minPort, maxPort, clientCert.isEmpty() ? Optional.empty() : Optional.of(clientCert));
    }

    private static int port(Map<String, String> environment, String name, int fallback) throws HandshakeRefused {
        String value = environment.getOrDefault(name, "").trim();
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new HandshakeRefused(name + " must be a port number, got \"" + value + "\"");
        }
    }

    /** The single line go-plugin reads from our stdout: {@code CORE|APP|tcp|ADDRESS|grpc|CERT}. */
    public static String handshakeLine(String address, String serverCertBase64) {
        return CORE_PROTOCOL_VERSION + "|" + APP_PROTOCOL_VERSION + "|tcp|" + address + "|grpc|" + serverCertBase64;
    }
}
