package dev.atrest.terraform.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fuzz test's line in {@code target/fault-results/<suite>.tsv}, in the columns key-service's FaultTally
 * writes (this module cannot see that class): trials = inputs run, faults = malformed inputs the code
 * refused, failures = inputs that broke the rule (Jazzer stops at the first and keeps it as a finding).
 */
final class FuzzTally {
    private static final Path DIR = Path.of(System.getProperty("fault.results.dir", "target/fault-results"));

    private final String suite;
    private final Instant started = Instant.now();
    private final AtomicLong trials = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    /**
     * Suite {@code fuzz-<target>} while Jazzer fuzzes ({@code JAZZER_FUZZ} set, as {@code scripts/fuzz.sh}
     * does), {@code fuzz-<target>-replay} when {@code mvn test} only replays the committed inputs: a replay
     * never overwrites a fuzzing run's figures.
     */
    FuzzTally(String target) {
        String fuzzing = System.getenv("JAZZER_FUZZ");
        this.suite = "fuzz-" + target + (fuzzing == null || fuzzing.isEmpty() ? "-replay" : "");
    }

    void trial() {
        trials.incrementAndGet();
    }

    void refused() {
        refused.incrementAndGet();
    }

    void failed() {
        failures.incrementAndGet();
    }

    void write() {
        long seconds = Duration.between(started, Instant.now()).toSeconds();
        String line = String.join("\t", suite, Long.toString(trials.get()), Long.toString(refused.get()),
                Long.toString(failures.get()), "0", "0", Long.toString(seconds), "-");
        try {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve(suite + ".tsv"), line + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fault results of " + suite, e);
        }
        System.out.printf("%s: %d inputs, %d refused as malformed, %d failures, %d s%n", suite, trials.get(),
                refused.get(), failures.get(), seconds);
    }
}
