package dev.atrest.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The 3-node MariaDB Galera cluster of scripts/galera.sh, started once per test JVM ({@link #shared()}) and stopped
 * when the JVM exits. Nodes are numbered 1 to 3 in the order of the JDBC URL: Connector/J's {@code sequential} mode
 * writes through the first node that answers, so the {@link #writer()} is the first Synced node in that order.
 *
 * <p>Where the cluster lives: {@code GALERA_DIR} and {@code GALERA_BASE_PORT} from the environment, else
 * {@code <repo>/target/galera-it} on base port 24400, away from the script's defaults (a developer's or the
 * capacity bench's cluster on 24300).
 */
public final class GaleraCluster {
    public static final List<Integer> NODES = List.of(1, 2, 3);
    private static final Pattern EXPORT = Pattern.compile("^export (\\w+)='([^']*)'$");
    private static final long SCRIPT_TIMEOUT_MINUTES = 5;
    private static GaleraCluster shared;

    private final Path script;
    private final Map<String, String> env = new TreeMap<>();
    private final Map<String, String> settings = new TreeMap<>();

    private GaleraCluster(Path script) {
        this.script = script;
        Path repo = script.getParent().getParent();
        env.put("GALERA_DIR", envOr("GALERA_DIR", repo.resolve("target/galera-it").toString()));
        env.put("GALERA_BASE_PORT", envOr("GALERA_BASE_PORT", "24400"));
    }

    /** Whether Debian's galera-4 (the wsrep provider scripts/galera.sh loads) is installed here. */
    public static boolean installed() {
        return Files.isRegularFile(Path.of("/usr/lib/galera/libgalera_smm.so"));
    }

    /** The cluster of this test JVM: started (fresh) on the first call, stopped cleanly when the JVM exits. */
    public static synchronized GaleraCluster shared() {
        if (shared == null) {
            GaleraCluster cluster = new GaleraCluster(findScript());
            cluster.parseEnv(cluster.run("start"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> cluster.run("stop"), "galera-stop"));
            shared = cluster;
        }
        return shared;
    }

    /** {@code jdbc:mariadb:sequential://n1,n2,n3/atrest?galeraAllowedState=4}, as scripts/galera.sh prints it: the URL docs/deployment.md documents. */
    public String jdbcUrl() {
        return settings.get("ATREST_GALERA_JDBC_URL");
    }

    public String user() {
        return settings.get("ATREST_GALERA_USER");
    }

    public String password() {
        return settings.get("ATREST_GALERA_PASSWORD");
    }

    /** The node's SQL port on 127.0.0.1, for a test that talks to one node directly. */
    public int sqlPort(int node) {
        return Integer.parseInt(settings.get("ATREST_GALERA_PORTS").split(",")[node - 1]);
    }

    /** kill -9 of the node: a crashed database server, its open connections reset. */
    public void kill(int node) {
        run("kill", String.valueOf(node));
    }

    /** A clean shutdown of the node (a rolling restart's first half). */
    public void stopNode(int node) {
        run("stop-node", String.valueOf(node));
    }

    /** Starts the node again and returns once it has rejoined and is Synced. */
    public void startNode(int node) {
        run("start-node", String.valueOf(node));
    }

    /** Starts every node that is down (after a scenario that killed one), so each scenario begins with three. */
    public void restoreAll() {
        Map<Integer, String> states = states();
        for (int node : NODES) {
            if ("down".equals(states.get(node))) {
                startNode(node);
            }
        }
    }

    /** The node every replica writes through now: the first Synced node in URL order. */
    public int writer() {
        Map<Integer, String> states = states();
        return NODES.stream().filter(node -> "Synced".equals(states.get(node))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no Galera node is Synced: " + states));
    }

    /** Each node's state: Synced, Donor/Desynced, Joining..., starting, or down. */
    public Map<Integer, String> states() {
        Map<Integer, String> states = new TreeMap<>();
        for (String line : run("status").split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 3 && fields[0].startsWith("node")) {
                states.put(Integer.parseInt(fields[0].substring(4)), fields[2]);
            }
        }
        return states;
    }

    private void parseEnv(String output) {
        for (String line : output.split("\n")) {
            Matcher export = EXPORT.matcher(line.trim());
            if (export.matches()) {
                settings.put(export.group(1), export.group(2));
            }
        }
        if (!settings.containsKey("ATREST_GALERA_JDBC_URL")) {
            throw new IllegalStateException("scripts/galera.sh start printed no JDBC URL: " + output);
        }
    }

    /** Runs the script and returns its standard output; its standard error goes to this JVM's. */
    private String run(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("galera", ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
                        .redirectError(ProcessBuilder.Redirect.INHERIT);
                builder.environment().putAll(env);
                Process process = builder.start();
                if (!process.waitFor(SCRIPT_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("galera.sh " + String.join(" ", args) + " did not end in "
                            + SCRIPT_TIMEOUT_MINUTES + " min");
                }
                String output = Files.readString(out, StandardCharsets.UTF_8);
                if (process.exitValue() != 0) {
                    throw new IllegalStateException("galera.sh " + String.join(" ", args) + " failed ("
                            + process.exitValue() + "): " + output);
                }
                return output;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running galera.sh", e);
        }
    }

    /** scripts/galera.sh of the checkout the tests run in (a module's directory or the root). */
    private static Path findScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("scripts/galera.sh");
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        throw new IllegalStateException("no scripts/galera.sh above " + Path.of("").toAbsolutePath());
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
