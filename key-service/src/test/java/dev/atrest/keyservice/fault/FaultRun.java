package dev.atrest.keyservice.fault;

import dev.atrest.keyservice.support.ItDatabase;
import dev.atrest.testsupport.FaultTally;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Random;
import java.util.UUID;

/**
 * One fault-test run: its seed (printed, and replayable with {@code -Dfault.seed=}), how many
 * trials, and the data directory its services keep LOCAL root keys in. The trial count is the bounded
 * CI count by default, the full count with {@code -Dfault.full=true}, and {@code -Dfault.trials=N}
 * overrides both.
 */
final class FaultRun {
    final String test;
    final long seed;
    final int trials;
    final Random random;
    final Path dataDir;
    /** The seal key of every service the fault tests start: the shared database's ({@link ItDatabase#sharedSealKey}). */
    final String sealKey;

    private FaultRun(String test, long seed, int trials) {
        this.test = test;
        this.seed = seed;
        this.trials = trials;
        this.random = new Random(seed);
        this.dataDir = Path.of("target", "it-data", test + "-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
        this.sealKey = ItDatabase.sharedSealKey();
    }

    /** A run of the CI count of trials, or of the full count when {@code -Dfault.full=true}. */
    static FaultRun of(String test, int ciTrials, int fullTrials) {
        return of(test, Boolean.getBoolean("fault.full") ? fullTrials : ciTrials);
    }

    static FaultRun of(String test, int defaultTrials) {
        String given = System.getProperty("fault.seed");
        long seed = given == null || given.isBlank() ? new SecureRandom().nextLong() : Long.parseLong(given.trim());
        int trials = Integer.getInteger("fault.trials", defaultTrials);
        FaultRun run = new FaultRun(test, seed, trials);
        if (defaultTrials == 0) {
            return run; // no random trials: only the data directory and seal key are used
        }
        System.out.printf("%s: seed %d, %d trials (replay: -Dfault.seed=%d -Dit.test=%s)%n",
                test, seed, trials, seed, test);
        return run;
    }

    /** The figures this run reports (target/fault-results/<test>.tsv), replayable by its seed. */
    FaultTally tally() {
        return FaultTally.begin(test, seed);
    }

    /**
     * Runs one trial's checks through the tally, so a failing one is counted before it fails the test; a checked
     * exception comes out unchecked, named after the trial.
     */
    static void verify(FaultTally tally, String trial, FaultTally.Checks<Exception> checks) {
        try {
            tally.verify(trial, checks);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(trial + ": " + e.getMessage(), e);
        }
    }

    /** A uniformly random delay in [0, max] ms. */
    long delayUpTo(long maxMillis) {
        return (long) (random.nextDouble() * (maxMillis + 1));
    }

    String describe(int trial) {
        return test + " trial " + trial + " (seed " + seed + ")";
    }
}
