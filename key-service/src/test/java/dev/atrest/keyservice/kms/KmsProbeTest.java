package dev.atrest.keyservice.kms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.kms.FakeKmsEndpoints.Answer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the breaker's probe takes for KMS answering: a reply of KMS's, whatever it says; nothing else. */
class KmsProbeTest {
    private final FakeKmsEndpoints endpoints = new FakeKmsEndpoints();

    @AfterEach
    void closeAll() throws Exception {
        endpoints.close();
    }

    @Test
    void answers_kmsDoesNotKnowTheProbeCredentials_true() throws IOException {
        String answer = "{\"__type\":\"UnrecognizedClientException\",\"message\":\"The security token is invalid.\"}";
        assertThat(answers(endpoints.answering(new Answer(400, answer)))).isTrue();
    }

    @Test
    void answers_kmsSaysNoSuchAlias_true() throws IOException {
        assertThat(answers(endpoints.answering(new Answer(400,
                "{\"__type\":\"NotFoundException\",\"message\":\"Alias is not found.\"}")))).isTrue();
    }

    @Test
    void answers_kmsInternalError_false() throws IOException {
        assertThat(answers(endpoints.answering(new Answer(500,
                "{\"__type\":\"KMSInternalException\",\"message\":\"boom\"}")))).isFalse();
    }

    @Test
    void answers_throttled_false() throws IOException {
        assertThat(answers(endpoints.answering(new Answer(400,
                "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}")))).isFalse();
    }

    /** What moto answers a request it cannot tell is for KMS: not KMS answering. */
    @Test
    void answers_somethingElseRepliesOk_false() throws IOException {
        assertThat(answers(endpoints.answering(new Answer(200, "application/xml",
                "<?xml version=\"1.0\"?><ListAllMyBucketsResult/>")))).isFalse();
    }

    @Test
    void answers_acceptsButNeverReplies_false() throws IOException {
        assertThat(answers(endpoints.silent())).isFalse();
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
}
