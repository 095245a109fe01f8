package dev.atrest.keyservice.kms;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the breaker's probe takes for KMS answering: a reply of KMS's, whatever it says; nothing else. */
class KmsProbeTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    @Test
    void answers_kmsDoesNotKnowTheProbeCredentials_true() throws IOException {
        assertThat(answers(endpointReplying(400, "application/x-amz-json-1.1",
                "{\"__type\":\"UnrecognizedClientException\",\"message\":\"The security token is invalid.\"}"))).isTrue();
    }

    @Test
    void answers_kmsSaysNoSuchAlias_true() throws IOException {
        assertThat(answers(endpointReplying(400, "application/x-amz-json-1.1",
                "{\"__type\":\"NotFoundException\",\"message\":\"Alias is not found.\"}"))).isTrue();
    }

    @Test
    void answers_kmsInternalError_false() throws IOException {
        assertThat(answers(endpointReplying(500, "application/x-amz-json-1.1",
                "{\"__type\":\"KMSInternalException\",\"message\":\"boom\"}"))).isFalse();
    }

    @Test
    void answers_throttled_false() throws IOException {
        assertThat(answers(endpointReplying(400, "application/x-amz-json-1.1",
                "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"))).isFalse();
    }

    /** What moto answers a request it cannot tell is for KMS: not KMS answering. */
    @Test
    void answers_somethingElseRepliesOk_false() throws IOException {
        assertThat(answers(endpointReplying(200, "application/xml",
                "<?xml version=\"1.0\"?><ListAllMyBucketsResult/>"))).isFalse();
    }

    @Test
    void answers_acceptsButNeverReplies_false() throws IOException {
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        toClose.add(silent);
        Thread acceptor = new Thread(() -> {
            List<java.net.Socket> held = new ArrayList<>();
            try {
                while (!silent.isClosed()) {
                    held.add(silent.accept());
                }
            } catch (IOException closed) {
                // test over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();

        assertThat(answers(URI.create("http://127.0.0.1:" + silent.getLocalPort()))).isFalse();
    }

    @Test
    void answers_nothingListens_false() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        assertThat(answers(URI.create("http://127.0.0.1:" + port))).isFalse();
    }

    private static boolean answers(URI endpoint) {
        AwsClients clients = new AwsClients(AwsKmsFaultTest.config(endpoint));
        return new KmsProbe(clients).answers(clients.endpoint("us-east-1"));
    }

    private URI endpointReplying(int status, String contentType, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        toClose.add(() -> server.stop(0));
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }
}
