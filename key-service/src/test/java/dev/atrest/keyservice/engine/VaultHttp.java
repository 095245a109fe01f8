package dev.atrest.keyservice.engine;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** atrest's Vault API called the way MariaDB's plugin calls it: a GET with the token in X-Vault-Token. */
final class VaultHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private VaultHttp() {
    }

    /** GET {@code vaultUrl}/data/{keyId}; the body is a key only when the status is 200. */
    static HttpResponse<String> readKey(String vaultUrl, String token, String keyId) {
        return get(vaultUrl + "/data/" + keyId, token);
    }

    static HttpResponse<String> get(String url, String token) {
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
