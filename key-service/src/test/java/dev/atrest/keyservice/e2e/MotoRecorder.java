package dev.atrest.keyservice.e2e;

import dev.atrest.keyservice.support.Moto;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** moto's request recorder: proves which AWS calls the service really made. */
final class MotoRecorder {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern ENCODED_BODY = Pattern.compile("\"body\": \"([A-Za-z0-9+/=]*)\", \"body_encoded\": true");

    private MotoRecorder() {}

    static void start() {
        send("POST", "/moto-api/recorder/reset-recording");
        send("POST", "/moto-api/recorder/start-recording");
    }

    /** One line per recorded request, with its body decoded so that assertions can read it. */
    static String stopAndRead() {
        send("POST", "/moto-api/recorder/stop-recording");
        StringBuilder out = new StringBuilder();
        for (String line : send("GET", "/moto-api/recorder/download-recording").split("\n")) {
            Matcher body = ENCODED_BODY.matcher(line);
            out.append(body.find()
                    ? line + " decoded-body=" + new String(Base64.getDecoder().decode(body.group(1)), StandardCharsets.UTF_8)
                    : line).append('\n');
        }
        return out.toString();
    }

    private static String send(String method, String path) {
        URI uri = Moto.endpoint().resolve(path);
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri)
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("moto recorder unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
