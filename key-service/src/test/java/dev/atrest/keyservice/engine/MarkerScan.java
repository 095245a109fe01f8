package dev.atrest.keyservice.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Raw-byte search for a marker string in files: every regular file under a directory, and every file a process
 * holds open (through /proc, so files it created and unlinked at once, as MariaDB does with its temporary files,
 * are read too).
 */
final class MarkerScan {
    private final byte[] marker;
    private long filesRead;
    private long bytesRead;

    MarkerScan(String marker) {
        this.marker = marker.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * The files under {@code dir} whose bytes contain the marker. A running server creates and removes temporary
     * files while the walk goes on: one that is gone by the time it is visited is skipped (its bytes, while it
     * existed, are read through {@link #openFilesOf} if the server held it open).
     */
    List<Path> filesUnder(Path dir) {
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile() && contains(file)) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                    if (failure instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw failure;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** The files process {@code pid} holds open under {@code dir} (deleted ones included) that contain the marker. */
    List<String> openFilesOf(long pid, Path dir) {
        List<String> found = new ArrayList<>();
        for (Path fd : openFiles(pid, dir)) {
            if (contains(fd)) {
                found.add(target(fd));
            }
        }
        return found;
    }

    /** The /proc links of the files {@code pid} holds open under {@code dir}. */
    static List<Path> openFiles(long pid, Path dir) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.filter(fd -> target(fd).startsWith(dir.toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String target(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException closedMeanwhile) {
            return "";
        }
    }

    long filesRead() {
        return filesRead;
    }

    long bytesRead() {
        return bytesRead;
    }

    private boolean contains(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            filesRead++;
            return contains(in);
        } catch (IOException gone) {
            return false; // a temporary file removed while we looked
        }
    }

    /** Streams the file, keeping the marker's length minus one bytes across buffer boundaries. */
    private boolean contains(InputStream in) throws IOException {
        byte[] buffer = new byte[1 << 16];
        int carried = 0;
        int read;
        while ((read = in.read(buffer, carried, buffer.length - carried)) > 0) {
            bytesRead += read;
            int end = carried + read;
            if (indexOf(buffer, end) >= 0) {
                return true;
            }
            carried = Math.min(marker.length - 1, end);
            System.arraycopy(buffer, end - carried, buffer, 0, carried);
        }
        return false;
    }

    private int indexOf(byte[] buffer, int end) {
        outer:
        for (int i = 0; i + marker.length <= end; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (buffer[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** What kind of MariaDB file {@code path} is, for the report of where a marker was found. */
    static String kindOf(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (path.contains("/tmp/")) {
            return name.startsWith("#sql") ? "temporary table (tmpdir)" : "temporary file (tmpdir)";
        }
        if (name.startsWith("ib_logfile")) {
            return "InnoDB redo log";
        }
        if (name.equals("ibtmp1")) {
            return "InnoDB temporary tablespace";
        }
        if (name.endsWith(".ibd") || name.startsWith("ibdata")) {
            return "InnoDB tablespace";
        }
        if (name.startsWith("aria_log")) {
            return "Aria log";
        }
        if (name.endsWith(".MAD") || name.endsWith(".MAI")) {
            return "Aria table";
        }
        if (name.startsWith("binlog.")) {
            return "binary log";
        }
        return "other";
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(dir)) {
                    Files.delete(path);
                }
            }
        }
    }
}
