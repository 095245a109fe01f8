package dev.atrest.terraform.acceptance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures one Terraform-side part of the fault and bad-input suite reports, in the columns of the key
 * service's support/FaultTally (this module cannot see that test class): trials, faults injected,
 * failures, keys lost, acknowledged writes lost, seconds, seed. Closing it writes one line to
 * {@code terraform-bridge/target/fault-results/<suite>.tsv}. A failure is counted before it is rethrown,
 * so a failing run still reports what it found.
 */
final class FaultTally implements AutoCloseable {
    static final String COLUMNS = "suite\ttrials\tfaults\tfailures\tkeys_lost\twrites_lost\tseconds\tseed";
    private static final Path DIR = Path.of(System.getProperty("fault.results.dir",
            Acceptance.REPO.resolve("terraform-bridge/target/fault-results").toString()));

    private final String suite;
    private final String seed;
    private final Instant started = Instant.now();
    private final List<String> failures = new ArrayList<>();
    private long trials;
    private long faults;
    private long keysLost;
    private long writesLost;

    private FaultTally(String suite, String seed) {
        this.suite = suite;
        this.seed = seed;
    }

    /** @param seed what replays the run ("-" when it is not seeded) */
    static FaultTally begin(String suite, Object seed) {
        return new FaultTally(suite, String.valueOf(seed));
    }

    synchronized void trial() {
        trials++;
    }

    synchronized void faults(long injected) {
        faults += injected;
    }

    synchronized void keysLost(long lost) {
        keysLost += lost;
    }

    synchronized void writesLost(long lost) {
        writesLost += lost;
    }

    /** Runs one trial's checks; a failing check is counted, then rethrown. */
    void verify(String trial, Checks checks) throws Exception {
        try {
            checks.run();
        } catch (Exception | AssertionError e) {
            synchronized (this) {
                failures.add(trial + ": " + e.getMessage());
            }
            throw e;
        }
    }

    /** Checks that may call tofu or the service, and so throw. */
    interface Checks {
        void run() throws Exception;
    }

    @Override
    public synchronized void close() {
        long seconds = Duration.between(started, Instant.now()).toSeconds();
        String line = String.join("\t", suite, Long.toString(trials), Long.toString(faults),
                Integer.toString(failures.size()), Long.toString(keysLost), Long.toString(writesLost),
                Long.toString(seconds), seed);
        try {
            Files.createDirectories(DIR);
            Path partial = DIR.resolve(suite + ".tsv.partial");
            Files.writeString(partial, line + "\n", StandardCharsets.UTF_8);
            Files.move(partial, DIR.resolve(suite + ".tsv"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fault results of " + suite, e);
        }
        System.out.printf("%s: %d trials, %d faults, %d failures, %d keys lost, %d writes lost, %d s%n",
                suite, trials, faults, failures.size(), keysLost, writesLost, seconds);
        failures.forEach(failure -> System.out.println("  failed: " + failure));
    }
}
