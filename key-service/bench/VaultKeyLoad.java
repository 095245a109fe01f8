import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small closed-loop load generator for atrest's Vault-KV-v2 read endpoint, the HTTP counterpart of ghz: N
 * clients, each sending its next key read as soon as the previous one is answered, for a fixed time, cycling over
 * the key ids given. Run as a single-file program (Java 11+, no build):
 *
 * <pre>java VaultKeyLoad.java BASE_URL TOKEN_FILE CONCURRENCY SECONDS KEY_IDS [CA_PEM]</pre>
 *
 * BASE_URL is the mount's URL (http://127.0.0.1:8200/v1/atrest/PROJECT/CLUSTER), TOKEN_FILE holds the
 * KEY_CONSUMER token (kept off the command line), KEY_IDS is a comma-separated list such as 1,2,3. It prints one
 * JSON line: requests answered 200, other answers and failures, requests per second and latency percentiles in ms.
 * Calls still in flight when the time is up are finished and counted (as ghz's duration-stop=wait does).
 */
public final class VaultKeyLoad {
    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: java VaultKeyLoad.java BASE_URL TOKEN_FILE CONCURRENCY SECONDS KEY_IDS");
            System.exit(2);
        }
        String base = args[0].replaceAll("/+$", "");
        String token = Files.readString(Path.of(args[1])).strip();
        int concurrency = Integer.parseInt(args[2]);
        long durationNanos = Duration.ofSeconds(Long.parseLong(args[3])).toNanos();
        List<URI> uris = new ArrayList<>();
        for (String id : args[4].split(",")) {
            uris.add(URI.create(base + "/data/" + id.strip()));
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        AtomicLong ok = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long[][] latencies = new long[concurrency][];
        int[] counts = new int[concurrency];
        CountDownLatch done = new CountDownLatch(concurrency);
        long start = System.nanoTime();
        long end = start + durationNanos;
        for (int c = 0; c < concurrency; c++) {
            int worker = c;
            Thread thread = new Thread(() -> {
                long[] mine = new long[1 << 16];
                int n = 0;
                int next = worker;
                while (System.nanoTime() < end) {
                    HttpRequest request = HttpRequest.newBuilder(uris.get(next++ % uris.size()))
                            .header("X-Vault-Token", token).timeout(Duration.ofSeconds(10)).GET().build();
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        (response.statusCode() == 200 ? ok : refused).incrementAndGet();
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                    if (n == mine.length) {
                        mine = Arrays.copyOf(mine, n * 2);
                    }
                    mine[n++] = System.nanoTime() - sent;
                }
                latencies[worker] = mine;
                counts[worker] = n;
                done.countDown();
            }, "vault-load-" + c);
            thread.start();
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = new long[Arrays.stream(counts).sum()];
        int at = 0;
        for (int c = 0; c < concurrency; c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        System.out.printf("{\"ok\": %d, \"non_200\": %d, \"failed\": %d, \"seconds\": %.2f, \"rps\": %.1f, "
                        + "\"p50_ms\": %.2f, \"p99_ms\": %.2f}%n",
                ok.get(), refused.get(), failed.get(), seconds, all.length / seconds,
                percentile(all, 0.50), percentile(all, 0.99));
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
    }
}
