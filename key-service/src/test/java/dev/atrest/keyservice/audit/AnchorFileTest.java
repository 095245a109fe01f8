package dev.atrest.keyservice.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.crypto.KeyMaterial;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnchorFileTest {
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00.123456Z");
    private final KeyMaterial key = KeyMaterial.generate(new SecureRandom());

    @TempDir
    Path dir;

    private static ChainAnchor anchor(String chain, long sequence) {
        byte[] mac = new byte[32];
        mac[0] = (byte) sequence;
        return new ChainAnchor(chain, sequence, mac, T0.plusSeconds(sequence));
    }

    @Test
    void read_noFile_absent() {
        assertThat(new AnchorFile(dir.resolve("anchor"), key, 4).read().status()).isEqualTo(AnchorReading.Status.ABSENT);
    }

    @Test
    void add_thenRead_sameAnchorsNewestLastOwnerOnly() throws Exception {
        AnchorFile file = new AnchorFile(dir.resolve("anchor"), key, 4);

        file.add(anchor("audit", 1000));
        file.add(anchor("audit", 2000));

        AnchorReading reading = file.read();
        assertThat(reading.status()).isEqualTo(AnchorReading.Status.VALID);
        assertThat(reading.newest("audit")).contains(anchor("audit", 2000));
        assertThat(reading.of("audit")).containsExactly(anchor("audit", 1000), anchor("audit", 2000));
        assertThat(Files.getPosixFilePermissions(file.path())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.list(dir)).as("no temporary file left").hasSize(1);
    }

    @Test
    void add_beyondHistory_keepsTheLastFewPerChainAndOtherChains() throws Exception {
        AnchorFile file = new AnchorFile(dir.resolve("anchor"), key, 2);
        file.add(anchor("token-revocations", 7));
        for (long sequence = 1; sequence <= 5; sequence++) {
            file.add(anchor("audit", sequence));
        }

        AnchorReading reading = file.read();
        assertThat(reading.of("audit")).extracting(ChainAnchor::sequence).containsExactly(4L, 5L);
        assertThat(reading.newest("token-revocations")).contains(anchor("token-revocations", 7));
    }

    @Test
    void read_sequenceEditedInTheFile_invalidNamingTheLine() throws Exception {
        AnchorFile file = new AnchorFile(dir.resolve("anchor"), key, 4);
        file.add(anchor("audit", 1000));
        String text = Files.readString(file.path());
        Files.writeString(file.path(), text.replace("sequence=1000", "sequence=900"));

        AnchorReading reading = file.read();

        assertThat(reading.status()).isEqualTo(AnchorReading.Status.INVALID);
        assertThat(reading.problem()).contains("line 2").contains("anchor-mac does not match");
        assertThat(reading.anchors()).isEmpty();
    }

    @Test
    void read_lineMadeWithAnotherKey_invalid() throws Exception {
        Path path = dir.resolve("anchor");
        new AnchorFile(path, KeyMaterial.generate(new SecureRandom()), 4).add(anchor("audit", 5));

        assertThat(new AnchorFile(path, key, 4).read().status()).isEqualTo(AnchorReading.Status.INVALID);
    }

    @Test
    void add_overAnInvalidFile_movesItAsideAsEvidence() throws Exception {
        AnchorFile file = new AnchorFile(dir.resolve("anchor"), key, 4);
        Files.writeString(file.path(), "v1 chain=audit sequence=1 mac=00 time=x anchor-mac=00\n");

        Path rejected = file.add(anchor("audit", 3));

        assertThat(rejected).isNotNull();
        assertThat(Files.readString(rejected, StandardCharsets.UTF_8)).contains("sequence=1 ");
        assertThat(file.read().newest("audit")).isEqualTo(Optional.of(anchor("audit", 3)));
    }

    @Test
    void resolve_fileInsideTheDataDirectory_refusedNamingTheSetting() throws Exception {
        Path data = Files.createDirectories(dir.resolve(".data"));
        Files.createSymbolicLink(dir.resolve("link"), data);

        assertThat(AnchorLocation.resolve(data, Optional.empty())).isEqualTo(dir.resolve(".data.audit-anchor"));
        assertThat(catchMessage(() -> AnchorLocation.resolve(data, Optional.of(data.resolve("anchor")))))
                .startsWith("atrest.audit.anchor.file (").contains("inside atrest.data-dir").doesNotContain("\n");
        assertThat(catchMessage(() -> AnchorLocation.resolve(data, Optional.of(dir.resolve("link/sub/anchor")))))
                .as("through a symbolic link too").contains("inside atrest.data-dir");
        assertThat(AnchorLocation.resolve(data, Optional.of(dir.resolve(".data-other/anchor"))))
                .as("a sibling whose name starts alike is outside").isEqualTo(dir.resolve(".data-other/anchor"));
    }

    private static String catchMessage(Runnable call) {
        try {
            call.run();
            return "";
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }
}
