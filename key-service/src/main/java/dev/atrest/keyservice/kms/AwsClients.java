package dev.atrest.keyservice.kms;

import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.domain.AwsKmsSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Builds KMS clients for a project's settings: bounded timeouts, retries with backoff on throttling,
 * and the service-wide endpoint override (never one chosen by an API caller).
 */
@ApplicationScoped
public class AwsClients {
    private static final Set<String> KNOWN_REGIONS =
            Region.regions().stream().map(Region::id).collect(Collectors.toUnmodifiableSet());

    private final AtrestConfig.Aws config;
    private final SdkHttpClient http;

    public AwsClients(AtrestConfig config) {
        this.config = config.aws();
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(this.config.connectTimeout())
                .socketTimeout(this.config.apiCallAttemptTimeout())
                .build();
    }

    public static boolean isKnownRegion(String region) {
        return KNOWN_REGIONS.contains(region);
    }

    /** A client whose credentials come from {@code settings}; close it (it closes its STS session too). */
    public KmsClient kms(AwsKmsSettings settings) {
        Region region = Region.of(settings.region());
        var builder = KmsClient.builder()
                .region(region)
                .httpClient(http)
                .overrideConfiguration(overrides())
                .credentialsProvider(credentials(settings, region));
        config.endpointOverride().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** Where calls for {@code region} go: the endpoint override, or AWS's regional KMS endpoint. */
    public KmsEndpoint endpoint(String region) {
        URI url = config.endpointOverride()
                .orElseGet(() -> URI.create("https://" + KmsClient.serviceMetadata().endpointFor(Region.of(region))));
        // Scheme, host and port only: a label, which must never carry user info or a path someone put there.
        String port = url.getPort() < 0 ? "" : ":" + url.getPort();
        return new KmsEndpoint(url.getScheme() + "://" + url.getHost() + port, region);
    }

    /**
     * A client for the breaker's probe: one attempt, bounded by one attempt's timeout, signed with credentials
     * that exist nowhere. KMS answers such a request (UnrecognizedClientException, or NotFoundException from
     * an emulator), and that reply proves it is there; the probe needs no caller's secret, so an open breaker
     * keeps none. Signed rather than anonymous: an emulator such as moto tells services apart by the signature.
     */
    KmsClient forProbe(String region) {
        var builder = KmsClient.builder()
                .region(Region.of(region))
                .httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("ATRESTKMSPROBE", "no-secret-the-breaker-probe-only-asks-if-kms-answers")))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(config.apiCallAttemptTimeout())
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .build());
        config.endpointOverride().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private AwsCredentialsProvider credentials(AwsKmsSettings settings, Region region) {
        if (settings.usesStaticKeys()) {
            return StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey().asUtf8()));
        }
        if (settings.usesRole()) {
            var sts = StsClient.builder()
                    .region(region)
                    .httpClient(http)
                    .overrideConfiguration(overrides())
                    .credentialsProvider(DefaultCredentialsProvider.builder().build());
            config.endpointOverride().ifPresent(sts::endpointOverride);
            return StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(sts.build())
                    .asyncCredentialUpdateEnabled(false)
                    .refreshRequest(r -> {
                        r.roleArn(settings.roleArn()).roleSessionName("atrest-key-service");
                        if (settings.externalId() != null) {
                            r.externalId(settings.externalId());
                        }
                    })
                    .build();
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder()
                .apiCallTimeout(config.apiCallTimeout())
                .apiCallAttemptTimeout(config.apiCallAttemptTimeout())
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(config.maxAttempts())
                        .build())
                .build();
    }
}
