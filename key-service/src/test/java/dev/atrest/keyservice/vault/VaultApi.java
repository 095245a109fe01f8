package dev.atrest.keyservice.vault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A raw HTTP client of the service's Vault API, as an engine (or an attacker) calls it. */
final class VaultApi {
    private static final Pattern KEY = Pattern.compile("\"data\":\\{\"data\":\\{\"data\":\"([0-9a-f]*)\"");
    private static final Pattern VERSION = Pattern.compile("\"version\":(\\d+)");
    /** HTTP/1.1, as curl (and so MariaDB's plugin) speaks it to an http:// URL. */
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final URI base;

    VaultApi(URI base) {
        this.base = base;
    }

    HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (token != null) {
            request.header("X-Vault-Token", token);
        }
        return send(request.build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code path} under the service, taken as it is written (no normalisation, no encoding). */
    URI uri(String path) {
        return URI.create(base.toString().replaceAll("/$", "") + path);
    }

    static String dataPath(String project, String cluster, String keyId) {
        return "/v1/atrest/" + project + "/" + cluster + "/data/" + keyId;
    }

    /** The key bytes in a successful read's body. */
    static byte[] key(HttpResponse<String> response) {
        Matcher key = KEY.matcher(response.body());
        if (!key.find()) {
            throw new AssertionError("no key in " + response.statusCode());
        }
        return HexFormat.of().parseHex(key.group(1));
    }

    static int version(HttpResponse<String> response) {
        Matcher version = VERSION.matcher(response.body());
        if (!version.find()) {
            throw new AssertionError("no version in the answer");
        }
        return Integer.parseInt(version.group(1));
    }
}
