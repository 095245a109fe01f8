package dev.atrest.keyservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.support.ItDatabase;
import dev.atrest.keyservice.support.ServiceProcess;
import dev.atrest.testsupport.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The health check says SERVING only once the service has wholly started. Quarkus' own health service said SERVING
 * from the moment the gRPC port opened, up to a second before the Vault API listened and before the start-up checks
 * ran: a MariaDB started at that moment (KeyRefusalIT's, in CI) found nothing on its vault URL and refused to start.
 * Three starts, each looked at on the first SERVING answer (the harness asks every 100 ms from the start).
 */
class StartupHealthIT {
    private static final int STARTS = 3;

    @Test
    void firstServingAnswer_vaultApiListensAndStartupChecksHaveRun() throws Exception {
        Path dataDir = Files.createDirectories(Path.of("target", "it-data", "startup-health")).toAbsolutePath();
        ServiceProcess service = new ServiceProcess("startup-health", ItDatabase.shared(), dataDir,
                ItDatabase.sharedSealKey(), "10m").with("atrest.vault-api.enabled", "true");
        List<String> seen = new ArrayList<>();
        try {
            for (int start = 1; start <= STARTS; start++) {
                int attempt = start;
                service.start(() -> seen.add(atFirstServing(service, attempt)));
                service.stop();
            }
        } finally {
            service.stop();
        }
        System.out.println(String.join(System.lineSeparator(), seen));
        assertThat(seen).as("what each start showed at its first SERVING answer")
                .containsExactly(whenStarted(1), whenStarted(2), whenStarted(3));
    }

    private static String atFirstServing(ServiceProcess service, int start) {
        int port = URI.create(service.vaultApiUrl()).getPort();
        String log;
        try {
            log = Files.readString(service.log());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "start " + start + ": Vault API " + (LoopbackPorts.listening(port) ? "listening" : "NOT listening")
                // The last StartupEvent observers to log: the Vault API line and the audit anchor check.
                + ", start-up line " + (log.contains("Vault API (KV v2, read-only) on") ? "logged" : "NOT logged")
                + ", anchor check " + (log.toLowerCase().contains("audit anchor") ? "logged" : "NOT logged");
    }

    private static String whenStarted(int start) {
        return "start " + start + ": Vault API listening, start-up line logged, anchor check logged";
    }
}
