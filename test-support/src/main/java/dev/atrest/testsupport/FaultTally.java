package dev.atrest.testsupport;

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
 * The figures one part of the fault and fuzzing suite reports: trials run, faults injected, failures,
 * keys lost and acknowledged writes lost, and how long it took. Closing it writes one line to
 * {@code <module>/target/fault-results/<suite>.tsv} (columns in {@link #COLUMNS}; {@code -Dfault.results.dir}
 * moves it); {@code scripts/fault-report.sh} gathers every module's lines into the results file. A failure is
 * counted before it is rethrown, so a failing run still reports what it found.
 */
public final class FaultTally implements AutoCloseable {
    public static final String COLUMNS = "suite\ttrials\tfaults\tfailures\tkeys_lost\twrites_lost\tseconds\tseed";

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

    /**
     * @param seed what replays the run ("-" when it is not seeded). Against an external MariaDB
     *             (ATREST_TEST_JDBC_URL: the test command's second pass) the suite reports as
     *             {@code <suite>-external-db}, beside the embedded pass's line instead of over it.
     */
    public static FaultTally begin(String suite, Object seed) {
        String externalDatabase = System.getenv("ATREST_TEST_JDBC_URL");
        boolean external = externalDatabase != null && !externalDatabase.isBlank();
        return new FaultTally(external ? suite + "-external-db" : suite, String.valueOf(seed));
    }

    /**
     * A Jazzer fuzz test's tally: suite {@code fuzz-<target>} while Jazzer fuzzes ({@code JAZZER_FUZZ} set, as
     * {@code scripts/fuzz.sh} does), {@code fuzz-<target>-replay} when {@code mvn test} only replays the committed
     * inputs, so that a later replay (the external-database pass) never overwrites a fuzzing run's figures.
     * Trials are inputs run; faults are malformed inputs the code refused.
     */
    public static FaultTally fuzzTest(String target) {
        String fuzzing = System.getenv("JAZZER_FUZZ");
        return begin("fuzz-" + target + (fuzzing == null || fuzzing.isEmpty() ? "-replay" : ""), "-");
    }

    public synchronized void trial() {
        trials++;
    }

    public synchronized void faults(long injected) {
        faults += injected;
    }

    public synchronized void keysLost(long lost) {
        keysLost += lost;
    }

    public synchronized void writesLost(long lost) {
        writesLost += lost;
    }

    /** Runs one trial's checks; a failing one (exception, assertion, OutOfMemoryError) is counted, then rethrown. */
    public <E extends Exception> void verify(String trial, Checks<E> checks) throws E {
        try {
            checks.run();
        } catch (Exception | Error e) {
            synchronized (this) {
                failures.add(trial + ": " + e.getMessage());
            }
            throw e;
        }
    }

    /** One trial's checks, which may call the service or read the database, and so throw. */
    @FunctionalInterface
    public interface Checks<E extends Exception> {
        void run() throws E;
    }

    public synchronized long trials() {
        return trials;
    }

    @Override
    public synchronized void close() {
        long seconds = Duration.between(started, Instant.now()).toSeconds();
        String line = String.join("\t", suite, Long.toString(trials), Long.toString(faults),
                Integer.toString(failures.size()), Long.toString(keysLost), Long.toString(writesLost),
                Long.toString(seconds), seed);
        Path dir = Path.of(System.getProperty("fault.results.dir", "target/fault-results"));
        try {
            Files.createDirectories(dir);
            Path partial = dir.resolve(suite + ".tsv.partial");
            Files.writeString(partial, line + "\n", StandardCharsets.UTF_8);
            Files.move(partial, dir.resolve(suite + ".tsv"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fault results of " + suite, e);
        }
        System.out.printf("%s: %d trials, %d faults, %d failures, %d keys lost, %d writes lost, %d s%n",
                suite, trials, faults, failures.size(), keysLost, writesLost, seconds);
        failures.forEach(failure -> System.out.println("  failed: " + failure));
    }
}
