package dev.atrest.terraform.plugin;

/**
 * System properties that keep libraries from doing work at every start that the provider never uses.
 * Set by the provider process only (Main, and the build's training run so the class-data archive matches),
 * before any TLS or netty class is touched; never by tests, which share a JVM with other code. A value the
 * user set explicitly (JAVA_TOOL_OPTIONS) wins.
 */
public final class StartupProperties {

    /**
     * The JDK default trust store (cacerts, ~150 certificates) is parsed the first time a default SSLContext
     * is initialised, and netty and grpc initialise one in static initialisers to learn the JDK's protocols
     * and cipher suites: tens of milliseconds per start, and 147 X509Certificate DEBUG lines under
     * TF_LOG=trace. Nothing in the process trusts through it (the plugin connection trusts exactly the
     * certificate Terraform sent, the key-service channel exactly ca_certificate_file); JSSE's value NONE
     * makes it an empty in-memory store.
     */
    static final String TRUST_STORE = "javax.net.ssl.trustStore";
    /**
     * grpc's netty utilities probe for the epoll transport in a static initialiser, which copies netty's
     * native library out of the jar into a temporary file and loads it (JDK 25 warns about it) although the
     * server runs on NIO. This is netty's documented switch, under grpc-netty-shaded's relocated name.
     */
    static final String NETTY_NO_NATIVE = "io.grpc.netty.shaded.io.netty.transport.noNative";

    private StartupProperties() {
    }

    public static void apply() {
        setUnlessSet(TRUST_STORE, "NONE");
        setUnlessSet(NETTY_NO_NATIVE, "true");
    }

    private static void setUnlessSet(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
