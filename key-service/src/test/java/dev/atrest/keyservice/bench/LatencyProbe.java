package dev.atrest.keyservice.bench;

import dev.atrest.keyservice.support.Api;
import dev.atrest.v1.GetClusterEncryptionRequest;
import dev.atrest.v1.GetProjectEncryptionRequest;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Another caller of the service: GetClusterEncryption and GetProjectEncryption on a project of its own,
 * one call at a time with a short pause between, recording each call's latency and any error.
 */
final class LatencyProbe implements AutoCloseable {
    private static final Duration PAUSE = Duration.ofMillis(5);

    private final String projectId;
    private final String clusterName;
    private final List<Long> nanos = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;
    private int errors;

    private LatencyProbe(String projectId, String clusterName) {
        this.projectId = projectId;
        this.clusterName = clusterName;
        this.thread = new Thread(this::run, "bench-latency-probe");
    }

    static LatencyProbe start(String projectId, String clusterName) {
        LatencyProbe probe = new LatencyProbe(projectId, clusterName);
        probe.thread.start();
        return probe;
    }

    /** Stops the calls and returns what they measured. */
    Latencies stop() throws InterruptedException {
        stopped = true;
        thread.join();
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return new Latencies(sorted, errors);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void run() {
        GetClusterEncryptionRequest cluster = GetClusterEncryptionRequest.newBuilder()
                .setProjectId(projectId).setClusterName(clusterName).build();
        GetProjectEncryptionRequest project = GetProjectEncryptionRequest.newBuilder().setProjectId(projectId).build();
        for (long call = 0; !stopped; call++) {
            long start = System.nanoTime();
            try {
                if (call % 2 == 0) {
                    Api.clusters().getClusterEncryption(cluster);
                } else {
                    Api.projects().getProjectEncryption(project);
                }
                nanos.add(System.nanoTime() - start);
            } catch (StatusRuntimeException e) {
                errors++;
            }
            try {
                Thread.sleep(PAUSE.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** @param sortedNanos successful calls' latencies, ascending */
    record Latencies(List<Long> sortedNanos, int errors) {
        static Latencies merge(List<Latencies> all) {
            List<Long> merged = new ArrayList<>();
            int errors = 0;
            for (Latencies one : all) {
                merged.addAll(one.sortedNanos);
                errors += one.errors;
            }
            Collections.sort(merged);
            return new Latencies(merged, errors);
        }

        int calls() {
            return sortedNanos.size() + errors;
        }

        double percentileMillis(double percentile) {
            if (sortedNanos.isEmpty()) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(percentile / 100 * sortedNanos.size()) - 1;
            return sortedNanos.get(Math.max(0, index)) / 1e6;
        }

        double maxMillis() {
            return sortedNanos.isEmpty() ? Double.NaN : sortedNanos.get(sortedNanos.size() - 1) / 1e6;
        }
    }
}
