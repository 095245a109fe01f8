package dev.atrest.keyservice.kms;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Loopback endpoints standing in for KMS in the unit tests of the KMS client and the breaker's probe: one that
 * answers each request as told, and one that accepts connections and never says a word. Closed together.
 */
final class FakeKmsEndpoints implements AutoCloseable {
    /** KMS's own content type. */
    static final String AWS_JSON = "application/x-amz-json-1.1";

    /** What the endpoint sends back to one request. */
    record Answer(int status, String contentType, String body) {
        Answer(int status, String body) {
            this(status, AWS_JSON, body);
        }
    }

    private final List<AutoCloseable> open = new ArrayList<>();

    /** Answers every request with {@code answer}. */
    URI answering(Answer answer) throws IOException {
        return answering(new AtomicInteger(), request -> answer);
    }

    /**
     * @param requests counts the requests
     * @param answers  the answer to the n-th request (from 1)
     */
    URI answering(AtomicInteger requests, IntFunction<Answer> answers) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Answer answer = answers.apply(requests.incrementAndGet());
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        open.add(() -> server.stop(0));
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Accepts every connection and says nothing on it. */
    URI silent() throws IOException {
        ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        List<Socket> held = new ArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (!blackHole.isClosed()) {
                    held.add(blackHole.accept()); // accept and say nothing
                }
            } catch (IOException closed) {
                // test over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        open.add(blackHole);
        return URI.create("http://127.0.0.1:" + blackHole.getLocalPort());
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable endpoint : open) {
            endpoint.close();
        }
    }
}
