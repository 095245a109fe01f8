package dev.atrest.keyservice.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/** Each start-up refusal, decided before anything starts: one line naming the setting. */
class StartupChecksTest {
    private static final String SEAL_KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    @Test
    void firstRefusal_soundSettings_none() throws IOException {
        assertThat(StartupChecks.firstRefusal(config(Map.of()))).isEmpty();
        assertThat(StartupChecks.firstRefusal(config(Map.of("quarkus.datasource.jdbc.url", "jdbc:mariadb://db/atrest",
                "atrest.seal.key", SEAL_KEY)))).isEmpty();
        assertThat(StartupChecks.firstRefusal(config(Map.of("atrest.auth.certificates.\"storage-engine\".role",
                "KEY_CONSUMER", "atrest.auth.certificates.\"storage-engine\".projects", "p1,p2")))).isEmpty();
    }

    @Test
    void firstRefusal_developmentModeOffLoopback_namesBothSettings() throws IOException {
        assertRefused(Map.of("atrest.auth.development-mode", "true", "quarkus.grpc.server.host", "0.0.0.0"),
                "atrest.auth.development-mode", "quarkus.grpc.server.host is '0.0.0.0'");
    }

    @Test
    void firstRefusal_externalDatabaseWithoutSealKey_refused() throws IOException {
        assertRefused(Map.of("quarkus.datasource.jdbc.url", "jdbc:mariadb://db/atrest"), "no seal key", "ATREST_SEAL_KEY");
    }

    @Test
    void firstRefusal_sealKeyNotBase64OrShort_namesTheSetting() throws IOException {
        assertRefused(Map.of("atrest.seal.key", "not base64!"), "atrest.seal.key", "not base64");
        assertRefused(Map.of("atrest.seal.key", "AAAA"), "atrest.seal.key", "32 bytes");
        assertRefused(Map.of("atrest.seal.key-file", "/nonexistent/seal.key"), "seal key file /nonexistent/seal.key");
    }

    @Test
    void firstRefusal_tlsFilesMissingOrNotPem_namesTheSetting() throws IOException {
        Path garbage = Files.writeString(Files.createTempFile("not-a-certificate", ".pem"), "garbage\n");
        assertRefused(Map.of("atrest.tls.certificate-file", garbage.toString()), "atrest.tls.key-file");
        assertRefused(Map.of("atrest.tls.certificate-file", garbage.toString(), "atrest.tls.key-file", garbage.toString()),
                "atrest.tls.certificate-file", "PEM");
        assertRefused(Map.of("atrest.tls.certificate-file", "/nonexistent.pem", "atrest.tls.key-file", garbage.toString()),
                "atrest.tls.certificate-file /nonexistent.pem does not exist");
    }

    @Test
    void firstRefusal_badValues_namesTheSetting() throws IOException {
        assertRefused(Map.of("atrest.auth.token-cache-ttl", "banana"), "atrest.auth.token-cache-ttl=\"banana\" cannot be used");
        assertRefused(Map.of("atrest.refusals.burst", "0"), "atrest.refusals.burst");
        assertRefused(Map.of("atrest.refusals.rate-per-second", "-1"), "atrest.refusals.rate-per-second");
        assertRefused(Map.of("atrest.jobs.lease-duration", "0s"), "atrest.jobs.lease-duration must be above 0");
        assertRefused(Map.of("atrest.jobs.lease-duration", "soon"), "atrest.jobs.lease-duration");
    }

    @Test
    void firstRefusal_portNotANumberOrTaken_namesTheSetting() throws IOException {
        assertRefused(Map.of("quarkus.management.port", "eighty"), "quarkus.management.port: \"eighty\" is not a port number");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertRefused(Map.of("quarkus.grpc.server.port", String.valueOf(taken.getLocalPort())),
                    "quarkus.grpc.server.port: port " + taken.getLocalPort() + " on 127.0.0.1 is in use");
        }
    }

    @Test
    void firstRefusal_embeddedDataDirectoryOthersMayWrite_namesTheSetting() throws IOException {
        Path open = Files.createDirectories(Path.of("target", "startup-checks-open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertRefused(Map.of("atrest.data-dir", open.toAbsolutePath().toString()), "atrest.data-dir: ", "other users");
    }

    private static void assertRefused(Map<String, String> settings, String... mentions) throws IOException {
        Optional<String> refusal = StartupChecks.firstRefusal(config(settings));
        assertThat(refusal).as("refused: " + settings).isPresent();
        assertThat(refusal.get()).contains(mentions).doesNotContain("\n").doesNotContain("\tat ")
                .doesNotContain("Exception");
    }

    private static Config config(Map<String, String> settings) throws IOException {
        Map<String, String> all = new HashMap<>(Map.of("atrest.data-dir",
                Files.createDirectories(Path.of("target", "startup-checks")).toAbsolutePath().toString(),
                "quarkus.grpc.server.host", "127.0.0.1"));
        all.putAll(settings);
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(all, "test", 100)).build();
    }
}
