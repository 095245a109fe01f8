package dev.atrest.keyservice.engine;

import dev.atrest.keyservice.support.LeakCanaries;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** atrest's Vault API called the way MariaDB's plugin calls it: a GET with the token in X-Vault-Token. */
final class VaultHttp {
    private static final Pattern KEY = Pattern.compile("\\{\"data\":\\{\"data\":\"([0-9a-fA-F]+)\"");
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private VaultHttp() {
    }

    /** GET {@code vaultUrl}/data/{keyId}; the body is a key only when the status is 200. */
    static HttpResponse<String> readKey(String vaultUrl, String token, String keyId) {
        return get(vaultUrl + "/data/" + keyId, token);
    }

    /** A GET as the plugin sends it; a key a 200 answer carries is remembered for the leak scan. */
    static HttpResponse<String> get(String url, String token) {
        HttpResponse<String> response = send(url, token);
        Matcher key = KEY.matcher(response.body());
        if (response.statusCode() == 200 && key.find()) {
            LeakCanaries.record("database key served by the Vault API", HexFormat.of().parseHex(key.group(1)));
        }
        return response;
    }

    private static HttpResponse<String> send(String url, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("X-Vault-Token", token).GET().build();
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
