package dev.atrest.keyservice.audit;

import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.crypto.KeyedMac;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The anchor file: chain heads kept outside the database, one line each, every line MAC'd under a key derived
 * from the seal key (so it cannot be forged without the seal key), the last few per chain kept:
 * <pre>
 * v1 chain=audit sequence=120345 mac=9f0c…(64 hex) time=2026-12-07T12:00:00.123456Z anchor-mac=4be1…(64 hex)
 * </pre>
 * Written whole and atomically (a temporary file beside it, fsync, rename, fsync of the directory): a crash
 * leaves the old file or the new one, never half of one. A file that does not verify is never overwritten:
 * it is moved aside ({@code <name>.rejected-<epoch ms>}) as evidence and a new one started.
 *
 * <p>Several chains may share one file (each adds lines under its own name and keeps the others' lines), and
 * writers in one process take turns per file. Writers in several processes (replicas sharing a file over a
 * network file system) could lose each other's newest line; give each replica its own file.
 */
public final class AnchorFile {
    private static final String VERSION = "v1";
    private static final String LABEL = "atrest audit anchor v1";
    private static final String HEADER = "# atrest chain anchors (atrest.audit.anchor.file), written by the key service."
            + " Do not edit: every line is MAC'd and VerifyAuditLog reports a line that does not verify.\n";
    private static final Map<Path, Object> TURNS = new ConcurrentHashMap<>();

    private final Path file;
    private final KeyedMac mac;
    private final int keepPerChain;

    /** @param key the anchor key (HKDF of the seal key for the anchor purpose), copied */
    public AnchorFile(Path file, dev.atrest.keyservice.crypto.KeyMaterial key, int keepPerChain) {
        this.file = file.toAbsolutePath().normalize();
        this.mac = new KeyedMac(key, LABEL);
        this.keepPerChain = keepPerChain;
    }

    public Path path() {
        return file;
    }

    /** What the file holds now. */
    public AnchorReading read() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return AnchorReading.absent();
        } catch (IOException | RuntimeException e) {
            return AnchorReading.invalid("the anchor file " + file + " cannot be read: " + e.getMessage());
        }
        List<ChainAnchor> anchors = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                anchors.add(parse(line));
            } catch (IllegalArgumentException e) {
                return AnchorReading.invalid("the anchor file " + file + " does not verify at line " + (i + 1)
                        + ": " + e.getMessage() + " (forged, edited or corrupted)");
            }
        }
        return AnchorReading.valid(anchors);
    }

    /**
     * Adds {@code anchor} (the newest of its chain) and keeps the last few anchors of each chain. A file
     * that does not verify is moved aside first.
     *
     * @return the path a rejected file was moved to, or null
     */
    public Path add(ChainAnchor anchor) throws IOException {
        synchronized (TURNS.computeIfAbsent(file, f -> new Object())) {
            AnchorReading current = read();
            Path rejected = null;
            if (current.status() == AnchorReading.Status.INVALID) {
                rejected = file.resolveSibling(file.getFileName() + ".rejected-" + System.currentTimeMillis());
                Files.move(file, rejected);
            }
            List<ChainAnchor> kept = new ArrayList<>();
            for (ChainAnchor other : current.anchors()) {
                if (!other.chain().equals(anchor.chain())) {
                    kept.add(other);
                }
            }
            List<ChainAnchor> ofChain = new ArrayList<>(current.of(anchor.chain()));
            ofChain.add(anchor);
            ofChain.sort(Comparator.comparingLong(ChainAnchor::sequence));
            kept.addAll(ofChain.subList(Math.max(0, ofChain.size() - keepPerChain), ofChain.size()));
            write(kept);
            return rejected;
        }
    }

    private void write(List<ChainAnchor> anchors) throws IOException {
        StringBuilder text = new StringBuilder(HEADER);
        for (ChainAnchor anchor : anchors) {
            text.append(format(anchor)).append('\n');
        }
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the anchor file's directory " + dir + " cannot replace files atomically", e);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true); // the rename itself is durable only once the directory is
        } catch (IOException e) {
            // Some file systems cannot open a directory; the rename is still atomic, only its durability waits.
        }
    }

    String format(ChainAnchor anchor) {
        return VERSION + " chain=" + anchor.chain() + " sequence=" + anchor.sequence() + " mac=" + anchor.macHex()
                + " time=" + anchor.time() + " anchor-mac=" + HexFormat.of().formatHex(macOf(anchor));
    }

    private ChainAnchor parse(String line) {
        String[] words = line.split(" ");
        if (words.length != 6 || !words[0].equals(VERSION)) {
            throw new IllegalArgumentException("not a " + VERSION + " anchor line");
        }
        ChainAnchor anchor;
        byte[] anchorMac;
        try {
            anchor = new ChainAnchor(value(words[1], "chain"), Long.parseLong(value(words[2], "sequence")),
                    HexFormat.of().parseHex(value(words[3], "mac")), Instant.parse(value(words[4], "time")));
            anchorMac = HexFormat.of().parseHex(value(words[5], "anchor-mac"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed anchor line (" + e.getMessage() + ")");
        }
        if (!mac.verifies(fields(anchor), anchorMac)) {
            throw new IllegalArgumentException("its anchor-mac does not match");
        }
        return anchor;
    }

    private static String value(String word, String name) {
        if (!word.startsWith(name + "=")) {
            throw new IllegalArgumentException("expected " + name + "=");
        }
        return word.substring(name.length() + 1);
    }

    private byte[] macOf(ChainAnchor anchor) {
        return fields(anchor).mac();
    }

    private KeyedMac.Fields fields(ChainAnchor anchor) {
        return mac.fields().text(anchor.chain()).number(anchor.sequence()).bytes(anchor.mac())
                .number(anchor.time().getEpochSecond()).number(anchor.time().getNano());
    }
}
