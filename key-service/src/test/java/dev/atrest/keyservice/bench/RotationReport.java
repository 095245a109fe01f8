package dev.atrest.keyservice.bench;

import dev.atrest.keyservice.bench.LatencyProbe.Latencies;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The benchmark's figures, one row per cluster size, as the table the script prints. */
final class RotationReport {
    private final int batchSize;
    private final int rounds;
    private final List<Size> sizes = new ArrayList<>();

    RotationReport(int batchSize, int rounds) {
        this.batchSize = batchSize;
        this.rounds = rounds;
    }

    /** @param rotationNanos and {@code rawNanos}: one per round, in the order run */
    void add(int keys, List<Long> rotationNanos, List<Long> rawNanos, List<Long> rawSameColumnsNanos,
             Latencies idle, Latencies during) {
        sizes.add(new Size(keys, rotationNanos, rawNanos, rawSameColumnsNanos, idle, during));
    }

    String format() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("master-key rotation vs plain JDBC batch updates of the same rows (batch %d, commit per"
                + " batch), same MariaDB, same run; medians of %d rounds (raw, rotation, raw same columns x2, ...)%n"
                + "  raw          UPDATE ... SET wrapped_key, update_time WHERE id (no indexed column changes)%n"
                + "  raw same     UPDATE ... SET master_key_version, wrapped_key, update_time WHERE id AND"
                + " master_key_version: what the re-wrap writes, without reading or any cryptography%n%n",
                batchSize, rounds));
        out.append(String.format("%9s %12s %8s %13s %12s %17s %10s   %s%n", "keys", "rotation ms", "raw ms",
                "raw same ms", "rot / raw", "rot / raw same", "keys/s", "rounds: rotation | raw | raw same"));
        for (Size size : sizes) {
            out.append(String.format("%9d %12d %8d %13d %12.2f %17.2f %10.0f   %s | %s | %s%n", size.keys,
                    millis(size.rotation()), millis(size.raw()), millis(size.rawSame()),
                    (double) size.rotation() / size.raw(), (double) size.rotation() / size.rawSame(),
                    size.keys / (size.rotation() / 1e9), list(size.rotationNanos), list(size.rawNanos),
                    list(size.rawSameColumnsNanos)));
        }
        if (sizes.size() > 1) {
            Size small = sizes.get(0);
            Size large = sizes.get(sizes.size() - 1);
            out.append(String.format("%nscaling %d -> %d keys (x%.0f): rotation x%.2f, raw x%.2f, raw same x%.2f"
                    + " (linear = x%.0f)%n", small.keys, large.keys, (double) large.keys / small.keys,
                    (double) large.rotation() / small.rotation(), (double) large.raw() / small.raw(),
                    (double) large.rawSame() / small.rawSame(), (double) large.keys / small.keys));
        }
        out.append(String.format("%nGetClusterEncryption/GetProjectEncryption on another project, one caller, ms%n"));
        out.append(String.format("%9s %-16s %7s %8s %8s %8s %7s%n", "keys", "when", "calls", "p50", "p99", "max", "errors"));
        for (Size size : sizes) {
            latencyRow(out, size.keys, "idle (before)", size.idle);
            latencyRow(out, size.keys, "during rotation", size.during);
        }
        return out.toString();
    }

    private static void latencyRow(StringBuilder out, int keys, String when, Latencies latencies) {
        out.append(String.format("%9d %-16s %7d %8.2f %8.2f %8.2f %7d%n", keys, when, latencies.calls(),
                latencies.percentileMillis(50), latencies.percentileMillis(99), latencies.maxMillis(), latencies.errors()));
    }

    private static long millis(long nanos) {
        return Math.round(nanos / 1e6);
    }

    private static String list(List<Long> nanos) {
        return nanos.stream().map(n -> Long.toString(millis(n))).collect(Collectors.joining(" "));
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private record Size(int keys, List<Long> rotationNanos, List<Long> rawNanos, List<Long> rawSameColumnsNanos,
                        Latencies idle, Latencies during) {
        long rawSame() {
            return median(rawSameColumnsNanos);
        }

        long rotation() {
            return median(rotationNanos);
        }

        long raw() {
            return median(rawNanos);
        }
    }
}
