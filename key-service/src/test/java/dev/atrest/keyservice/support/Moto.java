package dev.atrest.keyservice.support;

import dev.atrest.testsupport.Awaits;
import dev.atrest.testsupport.LoopbackPorts;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * A real moto server (AWS KMS and STS emulator) on a free loopback port, started for the test run.
 * It is found at $ATREST_MOTO_SERVER, .tools/venv/bin/moto_server, or on PATH; if it is missing the
 * tests fail (they are never skipped) with a message saying how to install it.
 */
public class Moto implements QuarkusTestResourceLifecycleManager {
    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";
    private static volatile URI endpoint;
    private static volatile KmsLink link;

    private Process process;

    @Override
    public Map<String, String> start() {
        try {
            int port = LoopbackPorts.free();
            Path log = Path.of("target", "test-logs", "moto.log");
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(executable(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            // moto's request recorder (MotoRecorder) writes here rather than into the working directory.
            builder.environment().put("MOTO_RECORDER_FILEPATH", log.resolveSibling("moto-recording.jsonl").toAbsolutePath().toString());
            process = builder.start();
            Awaits.until("moto_server listening on port " + port, Duration.ofSeconds(30),
                    () -> LoopbackPorts.listening(port));
            endpoint = URI.create("http://127.0.0.1:" + port);
            link = KmsLink.to(port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto_server: " + e.getMessage(), e);
        }
        // The service's own credentials (used to call STS AssumeRole): moto accepts any. The build passes them
        // as environment variables (key-service/pom.xml): surefire copies system properties into its XML
        // reports, where the leak scan would rightly find the secret. Outside Maven (an IDE) they are set here.
        if (System.getenv("AWS_SECRET_ACCESS_KEY") == null) {
            System.setProperty("aws.accessKeyId", "AKIAIOSFODNN7EXAMPLE");
            System.setProperty("aws.secretAccessKey", "service-own-credentials-for-moto");
        }
        LeakCanaries.record("service AWS secret", System.getenv().getOrDefault("AWS_SECRET_ACCESS_KEY",
                System.getProperty("aws.secretAccessKey")));
        // The service reaches moto through a link that tests can cut (KmsLink says why); set-up does not.
        return Map.of("atrest.aws.endpoint-override", link.uri().toString());
    }

    @Override
    public void stop() {
        if (link != null) {
            link.close();
        }
        if (process != null) {
            process.destroy();
        }
    }

    /** moto itself, for set-up and inspection: never cut. */
    public static URI endpoint() {
        return endpoint;
    }

    /** The service's way to moto, which a test can cut to make KMS unreachable without losing its keys. */
    public static KmsLink link() {
        return link;
    }

    /** A KMS client for test set-up (creating and disabling keys), talking to the same moto. */
    public static KmsClient adminClient() {
        return KmsClient.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "test-admin-secret")))
                .build();
    }

    /** Enables or disables a CMK in moto, as its owner would in KMS (moto wants the bare key id). */
    public static void setKeyEnabled(String keyArn, boolean enabled) {
        String keyId = keyArn.substring(keyArn.lastIndexOf('/') + 1);
        try (KmsClient kms = adminClient()) {
            if (enabled) {
                kms.enableKey(r -> r.keyId(keyId));
            } else {
                kms.disableKey(r -> r.keyId(keyId));
            }
        }
    }

    private static String executable() {
        String configured = System.getenv("ATREST_MOTO_SERVER");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path venv = dir.resolve(".tools/venv/bin/moto_server");
            if (Files.isExecutable(venv)) {
                return venv.toString();
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "moto_server"))) {
                return Path.of(dir, "moto_server").toString();
            }
        }
        throw new IllegalStateException("moto_server not found: run scripts/test-peers/install.sh "
                + "(or set ATREST_MOTO_SERVER) before the tests");
    }
}
