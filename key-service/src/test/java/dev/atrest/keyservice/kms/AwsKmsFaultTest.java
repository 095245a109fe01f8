package dev.atrest.keyservice.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.domain.AwsKmsSettings;
import dev.atrest.keyservice.domain.KmsUnavailableException;
import dev.atrest.keyservice.domain.PreconditionFailedException;
import dev.atrest.keyservice.domain.SecretValue;
import dev.atrest.keyservice.kms.FakeKmsEndpoints.Answer;
import dev.atrest.keyservice.support.ProviderConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * KMS misbehaving on a loopback socket: silent, throttling, or saying no. The service must give up
 * in bounded time, retry only what is worth retrying, and never call a transport failure a verdict.
 */
class AwsKmsFaultTest {
    private static final AwsKmsSettings SETTINGS = new AwsKmsSettings(
            "11111111-2222-3333-4444-555555555555", "us-east-1", null, null, "AKIAIOSFODNN7EXAMPLE",
            SecretValue.ofUtf8("fault-test-secret"));

    private static final String KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555";

    private final FakeKmsEndpoints endpoints = new FakeKmsEndpoints();

    @AfterEach
    void closeAll() throws Exception {
        endpoints.close();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void validate_kmsAcceptsButNeverAnswers_unavailableNotHanging() throws IOException {
        AwsKmsRootKeyProvider kms = provider(endpoints.silent());

        assertThatThrownBy(() -> kms.validate("p1", SETTINGS)).isInstanceOf(KmsUnavailableException.class)
                .hasMessageContaining("could not be reached");
    }

    @Test
    void validate_kmsAlwaysThrottles_retriedWithBackoffThenUnavailable() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        URI endpoint = fakeKms(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}", requests);

        assertThatThrownBy(() -> provider(endpoint).validate("p1", SETTINGS)).isInstanceOf(KmsUnavailableException.class);
        assertThat(requests.get()).isEqualTo(3);
    }

    @Test
    void generateMasterKey_kmsThrottlesTwiceThenAnswers_retriedAndSucceeds() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        byte[] plaintext = new byte[32];
        Arrays.fill(plaintext, (byte) 7);
        String answer = "{\"KeyId\":\"" + KEY_ARN + "\",\"CiphertextBlob\":\""
                + Base64.getEncoder().encodeToString("wrapped-by-the-fake".getBytes(StandardCharsets.UTF_8))
                + "\",\"Plaintext\":\"" + Base64.getEncoder().encodeToString(plaintext) + "\"}";
        // Two throttles leave the third and last of the 3 attempts config() allows.
        URI endpoint = endpoints.answering(requests, attempt -> attempt <= 2
                ? new Answer(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}")
                : new Answer(200, answer));

        GeneratedMasterKey generated = provider(endpoint).generateMasterKey(SETTINGS, Map.of("project", "p1"));

        assertThat(generated.wrapped().wrappingKeyId()).isEqualTo(KEY_ARN);
        assertThat(generated.plaintext().copyBytes()).isEqualTo(plaintext);
        assertThat(requests.get()).isEqualTo(3);
    }

    /** What a response cut off after its status line parses as: a success with no fields. */
    @Test
    void decryptMasterKey_emptySuccessfulAnswer_unavailableNotACrash() throws IOException {
        URI endpoint = fakeKms(200, "{}", new AtomicInteger());
        WrappedMasterKey wrapped = new WrappedMasterKey(KEY_ARN, new byte[] {1, 2, 3});

        assertThatThrownBy(() -> provider(endpoint).decryptMasterKey(SETTINGS, wrapped, Map.of("project", "p1")))
                .isInstanceOf(KmsUnavailableException.class).hasMessageContaining("could not be reached");
    }

    @Test
    void validate_kmsAnswersWithoutKeyMetadata_unavailableNotAVerdict() throws IOException {
        URI endpoint = fakeKms(200, "{}", new AtomicInteger());

        assertThatThrownBy(() -> provider(endpoint).validate("p1", SETTINGS)).isInstanceOf(KmsUnavailableException.class);
    }

    @Test
    void validate_kmsSaysDisabled_verdictWithReasonAndNoRetry() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        URI endpoint = fakeKms(400, "{\"__type\":\"DisabledException\",\"message\":\"key is disabled\"}", requests);

        assertThatThrownBy(() -> provider(endpoint).validate("p1", SETTINGS))
                .isInstanceOfSatisfying(PreconditionFailedException.class,
                        e -> assertThat(e.metadata().get("kms_reason")).isEqualTo("DisabledException: key is disabled"));
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void validate_kmsInternalError_unavailableNotAVerdict() throws IOException {
        URI endpoint = fakeKms(500, "{\"__type\":\"KMSInternalException\",\"message\":\"boom\"}", new AtomicInteger());

        assertThatThrownBy(() -> provider(endpoint).validate("p1", SETTINGS)).isInstanceOf(KmsUnavailableException.class);
    }

    @Test
    void decryptMasterKey_kmsFailsThreeCallsInARow_fourthRefusedWithoutARequest() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        URI endpoint = fakeKms(500, "{\"__type\":\"KMSInternalException\",\"message\":\"boom\"}", requests);
        AwsKmsRootKeyProvider kms = provider(endpoint);
        WrappedMasterKey wrapped = new WrappedMasterKey(KEY_ARN, new byte[] {1, 2, 3});
        for (int call = 0; call < 3; call++) {
            assertThatThrownBy(() -> kms.decryptMasterKey(SETTINGS, wrapped, Map.of("project", "p1")))
                    .isInstanceOfSatisfying(KmsUnavailableException.class, e -> assertThat(e.refusedWithoutCall()).isFalse());
        }
        int requestsOfThreeCalls = requests.get();

        assertThatThrownBy(() -> kms.decryptMasterKey(SETTINGS, wrapped, Map.of("project", "p1")))
                .isInstanceOfSatisfying(KmsUnavailableException.class, e -> {
                    assertThat(e.refusedWithoutCall()).isTrue();
                    assertThat(e.endpoint()).containsEntry("endpoint", endpoint.toString())
                            .containsEntry("region", "us-east-1");
                });
        assertThat(requests.get()).isEqualTo(requestsOfThreeCalls);
    }

    @Test
    void decryptMasterKey_keyDisabledCallAfterCall_everyCallAskedAndAVerdict() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        URI endpoint = fakeKms(400, "{\"__type\":\"DisabledException\",\"message\":\"key is disabled\"}", requests);
        AwsKmsRootKeyProvider kms = provider(endpoint);
        WrappedMasterKey wrapped = new WrappedMasterKey(KEY_ARN, new byte[] {1, 2, 3});

        for (int call = 0; call < 6; call++) {
            assertThatThrownBy(() -> kms.decryptMasterKey(SETTINGS, wrapped, Map.of("project", "p1")))
                    .isInstanceOf(PreconditionFailedException.class);
        }
        assertThat(requests.get()).isEqualTo(6);
    }

    private URI fakeKms(int status, String body, AtomicInteger requests) throws IOException {
        return endpoints.answering(requests, attempt -> new Answer(status, body));
    }

    /** A provider of its own, so its breaker is too: one test's failures never open another's. */
    private static AwsKmsRootKeyProvider provider(URI endpoint) {
        AtrestConfig config = config(endpoint);
        AwsClients clients = new AwsClients(config);
        return new AwsKmsRootKeyProvider(clients, new KmsBreakers(config.kms().breaker(), clients::endpoint,
                new KmsProbe(clients)::answers, Clock.systemUTC(), new SimpleMeterRegistry()));
    }

    /** Tight bounds so the test is quick: 3 attempts of at most 1 s, 4 s overall. */
    static AtrestConfig config(URI endpoint) {
        return config(endpoint, Path.of("target"));
    }

    static AtrestConfig config(URI endpoint, Path dataDir) {
        return ProviderConfig.aws(endpoint, dataDir, Duration.ofSeconds(4), 3);
    }
}
