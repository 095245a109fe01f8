package dev.atrest.keyservice.support;

import dev.atrest.testsupport.Awaits;
import dev.atrest.testsupport.LoopbackPorts;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real toxiproxy-server (Shopify's TCP fault proxy) on a free loopback port, driven through its HTTP
 * API: proxies that forward to a peer, and toxics that delay, stall, reset or cut what passes through.
 * It is found at $ATREST_TOXIPROXY_SERVER, .tools/bin/toxiproxy-server, or on PATH; if it is missing the
 * tests fail (they are never skipped) with a message saying how to install it.
 */
public final class Toxiproxy implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final URI api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Toxiproxy(Process process, URI api) {
        this.process = process;
        this.api = api;
    }

    public static Toxiproxy start() {
        int port = LoopbackPorts.free();
        Path log = Path.of("target", "it-logs", "toxiproxy.log");
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(executable(), "-host", "127.0.0.1", "-port", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Toxiproxy toxiproxy = new Toxiproxy(process, URI.create("http://127.0.0.1:" + port));
            toxiproxy.awaitApi();
            return toxiproxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start toxiproxy-server", e);
        }
    }

    /** A proxy on a free loopback port forwarding to {@code upstream} (host:port); returns its address. */
    public URI createProxy(String name, URI upstream) {
        String listen = "127.0.0.1:" + LoopbackPorts.free();
        send("POST", "/proxies", json(Map.of("name", name, "listen", listen, "upstream", hostPort(upstream),
                "enabled", true)));
        return URI.create("http://" + listen);
    }

    /** Points the proxy at another peer; clients keep the same address. */
    public void setUpstream(String proxy, URI upstream) {
        send("POST", "/proxies/" + proxy, json(Map.of("upstream", hostPort(upstream))));
    }

    /** A disabled proxy refuses new connections and closes the open ones. */
    public void setEnabled(String proxy, boolean enabled) {
        send("POST", "/proxies/" + proxy, json(Map.of("enabled", enabled)));
    }

    /**
     * Adds a toxic to every connection of the proxy.
     * @param type latency, timeout, reset_peer, limit_data, ...
     * @param stream "upstream" (client to peer) or "downstream" (peer to client)
     * @param attributes the type's attributes, e.g. latency=4000 (ms)
     */
    public void addToxic(String proxy, String name, String type, String stream, Map<String, Long> attributes) {
        send("POST", "/proxies/" + proxy + "/toxics", json(Map.of("name", name, "type", type, "stream", stream,
                "toxicity", 1.0, "attributes", attributes)));
    }

    public void removeToxic(String proxy, String name) {
        send("DELETE", "/proxies/" + proxy + "/toxics/" + name, null);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String send(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("toxiproxy " + method + " " + path + " " + body + ": "
                        + response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("toxiproxy " + method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitApi() {
        try {
            Awaits.until("toxiproxy-server answering at " + api, START_TIMEOUT, () -> {
                try {
                    send("GET", "/version", null);
                    return true;
                } catch (UncheckedIOException e) {
                    if (e.getCause() instanceof ConnectException && process.isAlive()) {
                        return false; // still starting
                    }
                    throw e;
                }
            });
        } catch (RuntimeException e) {
            throw new IllegalStateException("toxiproxy-server did not answer at " + api
                    + "; see target/it-logs/toxiproxy.log", e);
        }
    }

    /** Enough JSON for the API: strings, numbers, booleans and one level of nested map. */
    private static String json(Map<String, ?> fields) {
        return fields.entrySet().stream().map(e -> quote(e.getKey()) + ":" + jsonValue(e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }

    @SuppressWarnings("unchecked")
    private static String jsonValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            return json((Map<String, ?>) map);
        }
        return value instanceof String text ? quote(text) : String.valueOf(value);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String hostPort(URI uri) {
        return uri.getHost() + ":" + uri.getPort();
    }

    private static String executable() {
        String configured = System.getenv("ATREST_TOXIPROXY_SERVER");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path tool = dir.resolve(".tools/bin/toxiproxy-server");
            if (Files.isExecutable(tool)) {
                return tool.toString();
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "toxiproxy-server"))) {
                return Path.of(dir, "toxiproxy-server").toString();
            }
        }
        throw new IllegalStateException("toxiproxy-server not found: run scripts/test-peers/install.sh "
                + "(or set ATREST_TOXIPROXY_SERVER) before the tests");
    }
}
