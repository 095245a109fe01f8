package dev.atrest.terraform.plugin;

import io.grpc.BindableService;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/** The go-plugin handshake, end to end: check the environment, start serving, print the one line. */
public final class PluginProcess {

    private static final Logger LOG = Logger.getLogger(PluginProcess.class.getName());

    private PluginProcess() {
    }

    /**
     * Starts the plugin and writes the handshake line to {@code handshakeOut}, which nothing else may
     * ever write to. Returns the running server; the caller waits for it to stop.
     */
    public static PluginServer serve(Map<String, String> environment, PrintStream handshakeOut,
            List<BindableService> providerServices) throws HandshakeRefused {
        HandshakeConfig config = HandshakeConfig.fromEnvironment(environment);
        PluginServer server = PluginServer.start(config, providerServices);
        handshakeOut.println(server.handshakeLine());
        handshakeOut.flush();
        StartupTrace.mark("handshake line written");
        LOG.fine(() -> "handshake sent; serving plugin protocol " + HandshakeConfig.APP_PROTOCOL_VERSION);
        return server;
    }
}
