package dev.atrest.keyservice.fault;

import dev.atrest.testsupport.GaleraCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What each Galera scenario did to the cluster and how long the replicas took to get over it, one table row per
 * fault, written to {@code target/fault-results/<suite>.figures.md} beside the FaultTally lines (which
 * scripts/fault-report.sh gathers) and printed.
 */
final class GaleraFigures {
    private final String suite;
    private final List<String> rows = new ArrayList<>();

    GaleraFigures(String suite) {
        this.suite = suite;
    }

    /** A fault's start; {@link #recovered} ends it. */
    final class Outage {
        private final String fault;
        private final String during;
        private final long startNanos = System.nanoTime();
        private final int faults;
        private long faultMillis;

        private Outage(String fault, String during, int faults) {
            this.fault = fault;
            this.during = during;
            this.faults = faults;
        }

        int faults() {
            return faults;
        }

        /** Milliseconds since the fault began (the kill, or the first node stopped). */
        long elapsedMillis() {
            return (System.nanoTime() - startNanos) / 1_000_000;
        }

        long startNanos() {
            return startNanos;
        }

        /** The work is done again (or answers again); {@code detail} says what was checked. */
        void recovered(String detail) {
            String row = String.format("| %s | %s | %d | %.1f | %s |", during, fault, faultMillis, elapsedMillis() / 1000.0,
                    detail);
            synchronized (rows) {
                rows.add(row);
            }
            System.out.println(suite + ": " + row);
        }
    }

    /** kill -9 of the node every replica writes through. */
    Outage kill(GaleraCluster galera, String during) {
        int writer = galera.writer();
        Outage outage = new Outage("kill -9 of writer node " + writer, during, 1);
        galera.kill(writer);
        outage.faultMillis = outage.elapsedMillis();
        return outage;
    }

    /** Each node in turn stopped cleanly and started again (it rejoins by IST and waits until Synced). */
    Outage rollingRestart(GaleraCluster galera, String during) {
        Outage outage = new Outage("rolling restart of nodes 1, 2, 3", during, GaleraCluster.NODES.size());
        for (int node : GaleraCluster.NODES) {
            galera.stopNode(node);
            galera.startNode(node);
        }
        outage.faultMillis = outage.elapsedMillis();
        return outage;
    }

    void write() {
        List<String> lines = new ArrayList<>(List.of("# " + suite + ": faults and recovery", "",
                "| during | fault | fault took (ms) | recovered after (s) | what was checked |", "|---|---|---:|---:|---|"));
        synchronized (rows) {
            lines.addAll(rows);
        }
        Path file = Path.of(System.getProperty("fault.results.dir", "target/fault-results"), suite + ".figures.md");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
