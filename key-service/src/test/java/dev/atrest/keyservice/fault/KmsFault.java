package dev.atrest.keyservice.fault;

import java.util.Map;
import java.util.Random;

/**
 * The ways KMS goes wrong on the network, each injected on the {@link KmsPath} and removed again.
 * Where a fault has a free parameter (how slow, which direction, after how many bytes) the run's seeded
 * random picks it, so a failing schedule replays with its seed.
 */
enum KmsFault {
    /** Every byte KMS sends back arrives later than one attempt may wait (atrest.aws.api-call-attempt-timeout). */
    LATENCY {
        @Override
        String inject(KmsPath path, Random random) {
            long latency = ATTEMPT_TIMEOUT_MILLIS + 500 + random.nextInt(3_000);
            path.addToxic(TOXIC, "latency", "downstream", Map.of("latency", latency, "jitter", 0L));
            return "every response " + latency + " ms late";
        }
    },
    /** Connections open, then nothing gets through in one direction: the peer seems to hang. */
    STALL {
        @Override
        String inject(KmsPath path, Random random) {
            String stream = random.nextBoolean() ? "upstream" : "downstream";
            // timeout 0: the connection is never closed, the data just stops.
            path.addToxic(TOXIC, "timeout", stream, Map.of("timeout", 0L));
            return "data stalled " + stream;
        }
    },
    /**
     * Connections reset by the peer, or closed part-way through a response. Never a reset after a delay:
     * a quick KMS call could then slip through, and whether a configuration call fails would be luck.
     */
    RESET {
        @Override
        String inject(KmsPath path, Random random) {
            if (random.nextBoolean()) {
                String stream = random.nextBoolean() ? "upstream" : "downstream";
                path.addToxic(TOXIC, "reset_peer", stream, Map.of("timeout", 0L));
                return "connections reset by the peer on the first " + stream + " data";
            }
            // Fewer bytes than the status line and headers of any KMS response: none arrives whole.
            long bytes = random.nextInt(150);
            path.addToxic(TOXIC, "limit_data", "downstream", Map.of("bytes", bytes));
            return "connections closed after " + bytes + " bytes of the response";
        }
    },
    /** Nothing listens any more: new connections are refused, open ones closed. */
    PROXY_DISABLED {
        @Override
        String inject(KmsPath path, Random random) {
            path.setEnabled(false);
            return "proxy disabled";
        }

        @Override
        void remove(KmsPath path) {
            path.setEnabled(true);
        }
    },
    /** The KMS process itself gone (its dedicated moto stopped); it comes back empty, as moto keeps no state. */
    MOTO_STOPPED {
        @Override
        String inject(KmsPath path, Random random) {
            path.stopDedicatedMoto();
            return "moto stopped";
        }

        @Override
        void remove(KmsPath path) {
            path.useDedicatedMoto();
        }

        @Override
        boolean needsOwnMoto() {
            return true;
        }
    };

    /** The service's default attempt timeout, which the IT leaves as it is. */
    static final long ATTEMPT_TIMEOUT_MILLIS = 3_000;
    private static final String TOXIC = "fault";

    /** @return what was done, for messages */
    abstract String inject(KmsPath path, Random random);

    void remove(KmsPath path) {
        path.removeToxic(TOXIC);
    }

    /** Whether the trial must run against a moto of its own, because the fault stops it and it forgets its keys. */
    boolean needsOwnMoto() {
        return false;
    }
}
