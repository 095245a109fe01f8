package dev.atrest.terraform.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A filesystem mirror whose provider wraps this build's: it execs the real provider with its stdout
 * copied into one file per start. The contract is one handshake line and nothing else ever; go-plugin
 * reads that line and silently drops whatever follows, so a CLI run cannot show a stray line, only a copy
 * taken on the way can.
 */
final class StdoutCapturingMirror {

    /** go-plugin's handshake with AutoMTLS: core 1, protocol 6, a loopback port, the server certificate. */
    private static final Pattern HANDSHAKE =
            Pattern.compile("1\\|6\\|tcp\\|127\\.0\\.0\\.1:\\d{1,5}\\|grpc\\|[A-Za-z0-9+/]+");

    private final Path mirror;
    private final Path captures;

    private StdoutCapturingMirror(Path mirror, Path captures) {
        this.mirror = mirror;
        this.captures = captures;
    }

    /** Lays out the wrapping mirror under {@code root}, beside the build's {@link Acceptance#MIRROR}. */
    static StdoutCapturingMirror create(Path root) throws IOException {
        Path provider = provider(Acceptance.MIRROR);
        Path mirror = root.resolve("mirror");
        Path captures = Files.createDirectories(root.resolve("provider-stdout"));
        Path wrapper = mirror.resolve(Acceptance.MIRROR.relativize(provider));
        Files.createDirectories(wrapper.getParent());
        // exec: Terraform's signals reach the real provider (whose pid this start keeps); tee passes every byte on
        // to Terraform unchanged and unbuffered.
        Files.writeString(wrapper, """
                #!/usr/bin/env bash
                exec '%s' "$@" > >(exec tee "$(mktemp '%s/stdout.XXXXXXXX')")
                """.formatted(provider, captures));
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new StdoutCapturingMirror(mirror, captures);
    }

    Path path() {
        return mirror;
    }

    /** What each provider start printed on stdout, one entry per start, in no particular order. */
    List<String> starts() throws IOException {
        try (Stream<Path> files = Files.list(captures)) {
            List<String> starts = new ArrayList<>();
            for (Path file : files.toList()) {
                starts.add(Files.readString(file));
            }
            return starts;
        }
    }

    /** Every start so far printed exactly one line, the handshake, and nothing before or after it. */
    void assertOnlyHandshakes() throws IOException {
        for (String stdout : starts()) {
            assertThat(stdout).as("a provider start's stdout").matches(HANDSHAKE.pattern() + "\n");
        }
    }

    private static Path provider(Path mirror) throws IOException {
        try (Stream<Path> files = Files.walk(mirror)) {
            List<Path> providers = files.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().startsWith("terraform-provider-atrest")).toList();
            assertThat(providers).as("the provider executable in %s", mirror).hasSize(1);
            return providers.get(0);
        }
    }
}
