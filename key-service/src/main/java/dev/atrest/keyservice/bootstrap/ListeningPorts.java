package dev.atrest.keyservice.bootstrap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import org.eclipse.microprofile.config.Config;

/**
 * The gRPC, management (metrics) and Vault API ports, checked before anything starts: a port another process holds would otherwise
 * fail the start only after the embedded database came up, as a stack trace from deep inside Vert.x.
 * A process can still take the port between this check and the bind; that rare case keeps Quarkus' own error.
 */
final class ListeningPorts {
    private ListeningPorts() {}

    /** @throws SettingRefused naming the port setting that is not a number, or whose port is taken */
    static void refuseTaken(Config config) {
        boolean separateGrpc = config.getOptionalValue("quarkus.grpc.server.use-separate-server", String.class)
                .map(value -> !value.equalsIgnoreCase("false")).orElse(true);
        if (separateGrpc) {
            check(config, "quarkus.grpc.server.port", "quarkus.grpc.server.host");
        }
        check(config, "quarkus.management.port", "quarkus.management.host");
        if (config.getOptionalValue("atrest.vault-api.enabled", Boolean.class).orElse(false)) {
            // Named by the Quarkus setting it became (vault/VaultApiServerSettings), which an explicit -D may also set.
            check(config, "quarkus.http.port", "quarkus.http.host");
        }
    }

    private static void check(Config config, String portSetting, String hostSetting) {
        String value = config.getOptionalValue(portSetting, String.class).orElse(null);
        if (value == null) {
            return;
        }
        int port;
        try {
            port = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65_535) {
            throw new SettingRefused(portSetting, "\"" + value + "\" is not a port number", "use 1 to 65535, or 0 for any free port");
        }
        if (port == 0) {
            return;
        }
        String host = config.getOptionalValue(hostSetting, String.class).orElse("0.0.0.0");
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as the server will: a connection in TIME_WAIT does not hold the port
            probe.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (UnknownHostException e) {
            throw new SettingRefused(hostSetting, "\"" + host + "\" is not an address of this machine", "use an IP address or a resolvable name");
        } catch (IOException e) {
            throw new SettingRefused(portSetting, "port " + port + " on " + host + " is in use (" + e.getMessage() + ")",
                    "stop what listens there, or choose another port with -D" + portSetting + "=PORT");
        }
    }
}
