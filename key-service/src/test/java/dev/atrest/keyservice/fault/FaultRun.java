package dev.atrest.keyservice.fault;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Random;
import java.util.UUID;

/**
 * One fault-test run: its seed (printed, and replayable with {@code -Dfault.seed=}), how many
 * trials ({@code -Dfault.trials=}), and the data directory its services keep LOCAL root keys in.
 */
final class FaultRun {
    final String test;
    final long seed;
    final int trials;
    final Random random;
    final Path dataDir;
    final String sealKey;

    private FaultRun(String test, long seed, int trials) {
        this.test = test;
        this.seed = seed;
        this.trials = trials;
        this.random = new Random(seed);
        this.dataDir = Path.of("target", "it-data", test + "-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.sealKey = Base64.getEncoder().encodeToString(key);
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

    /** A uniformly random delay in [0, max] ms. */
    long delayUpTo(long maxMillis) {
        return (long) (random.nextDouble() * (maxMillis + 1));
    }

    String describe(int trial) {
        return test + " trial " + trial + " (seed " + seed + ")";
    }
}
