package dev.atrest.keyservice.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PEM certificates made at test time with the openssl CLI, under target/test-tls: a client CA, a server
 * certificate it issued for localhost, client certificates it issued, and one from another CA.
 */
public final class TestCertificates {
    public static final Path DIR = Path.of("target", "test-tls").toAbsolutePath();
    private static boolean made;

    private TestCertificates() {}

    /** Makes every file once per test JVM. */
    public static synchronized void make() {
        if (made) {
            return;
        }
        try {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve("server.ext"),
                    "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
            Files.writeString(DIR.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        selfSignedCa("ca");
        selfSignedCa("other-ca");
        issue("ca", "server", "localhost", 3650, "server.ext");
        issue("ca", "storage-engine", "storage-engine", 3650, "client.ext");
        issue("ca", "short-lived", "storage-engine", 1, "client.ext");
        issue("ca", "no-grant", "unknown-workload", 3650, "client.ext");
        issue("other-ca", "untrusted", "storage-engine", 3650, "client.ext");
        made = true;
    }

    public static Path pem(String name) {
        return DIR.resolve(name + ".pem");
    }

    public static Path key(String name) {
        return DIR.resolve(name + ".key");
    }

    private static void selfSignedCa(String name) {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key(name).toString(), "-out", pem(name).toString(), "-days", "3650",
                "-subj", "/CN=atrest test " + name);
    }

    private static void issue(String ca, String name, String commonName, int days, String extensions) {
        Path request = DIR.resolve(name + ".csr");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key(name).toString(), "-out", request.toString(), "-subj", "/CN=" + commonName);
        openssl("x509", "-req", "-in", request.toString(), "-CA", pem(ca).toString(), "-CAkey", key(ca).toString(),
                "-set_serial", String.valueOf(System.nanoTime()), "-days", String.valueOf(days),
                "-extfile", DIR.resolve(extensions).toString(), "-out", pem(name).toString());
    }

    private static void openssl(String... arguments) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        try {
            Path output = Files.createTempFile(DIR, "openssl-", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: "
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            Files.delete(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
