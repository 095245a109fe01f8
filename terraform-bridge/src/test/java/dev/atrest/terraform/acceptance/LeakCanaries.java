package dev.atrest.terraform.acceptance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;

/**
 * The secrets these tests hand to OpenTofu and the key service, remembered for the leak scan after the
 * suite (scripts/fault-report.sh; the key service's tests keep the same {@code kind TAB base64} lines).
 * A kind starting with {@value #TERRAFORM_INPUT} is a secret the configuration sets: Terraform state holds
 * it by design, so the scan allows it there and nowhere else.
 */
final class LeakCanaries {
    static final String TERRAFORM_INPUT = "terraform input ";
    private static final Path FILE = Path.of("target", "leak-canaries", ProcessHandle.current().pid() + ".txt");

    private LeakCanaries() {}

    static String remembered(String kind, String secret) {
        remembered(kind, secret.getBytes(StandardCharsets.UTF_8));
        return secret;
    }

    /** Key bytes a test was handed (a released database key): binary, so kept as they are. */
    static synchronized byte[] remembered(String kind, byte[] secret) {
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, kind + "\t" + Base64.getEncoder().encodeToString(secret) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remember a leak canary in " + FILE, e);
        }
        return secret;
    }
}
