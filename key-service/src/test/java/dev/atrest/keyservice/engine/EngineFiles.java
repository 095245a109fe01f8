package dev.atrest.keyservice.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;

/** Where each engine test keeps its servers, and the scan of one server's files for a marker. */
final class EngineFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private EngineFiles() {
    }

    /** target/engine-it/{test}: not under java.io.tmpdir, which the embedded MariaDB's clean-up sweeps. */
    static Path dir(String test) {
        return Path.of("target", "engine-it", test).toAbsolutePath();
    }

    /** A marker no file holds by chance. */
    static String marker(String prefix) {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        return prefix + "-" + HexFormat.of().formatHex(random);
    }

    /** A file_key_management key file with key ids 1 and 2. */
    static Path keyFile(Path dir) {
        try {
            Files.createDirectories(dir);
            byte[] key = new byte[32];
            StringBuilder lines = new StringBuilder();
            for (int id = 1; id <= 2; id++) {
                RANDOM.nextBytes(key);
                lines.append(id).append(';').append(HexFormat.of().formatHex(key)).append('\n');
            }
            Path file = dir.resolve("keys.txt");
            Files.writeString(file, lines);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the marker tables and big table, holds every kind of temporary data open, and returns each file the
     * marker is in: while it runs (tmpdir, the files the server holds open there, the data directory), then after a
     * clean stop (data directory and tmpdir again). The server is stopped on return.
     */
    static Set<String> writeAndScan(EngineServer server, MarkerTables tables, MarkerScan scan) throws SQLException {
        tables.create(server);
        tables.createBigTable(server);
        Set<String> found = new TreeSet<>();
        try (MarkerTables.TemporaryData held = tables.holdTemporaryData(server)) {
            found.addAll(scan.openFilesOf(server.pid(), server.tmpDir()));
            scan.filesUnder(server.tmpDir()).forEach(path -> found.add(path.toString()));
            scan.filesUnder(server.dataDir()).forEach(path -> found.add(path.toString()));
        }
        server.stop();
        scan.filesUnder(server.dataDir()).forEach(path -> found.add(path.toString()));
        scan.filesUnder(server.tmpDir()).forEach(path -> found.add(path.toString()));
        return found;
    }

    static Set<String> kinds(Set<String> paths) {
        Set<String> kinds = new TreeSet<>();
        paths.forEach(path -> kinds.add(MarkerScan.kindOf(path)));
        return kinds;
    }
}
