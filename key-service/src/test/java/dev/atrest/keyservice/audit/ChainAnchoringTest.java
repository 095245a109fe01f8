package dev.atrest.keyservice.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.support.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the head is anchored, against a real file, a stand-in for the stored MACs and a clock the test moves. */
class ChainAnchoringTest {
    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T12:00:00Z"));
    private final Map<Long, byte[]> stored = new HashMap<>();
    private final List<ChainAnchor> copied = new ArrayList<>();
    private AnchorFile file;
    private ChainAnchoring anchoring;

    private ChainAnchoring start(long everyRecords, Duration interval) {
        return start(dir.resolve("anchor"), everyRecords, interval);
    }

    private ChainAnchoring start(Path path, long everyRecords, Duration interval) {
        file = new AnchorFile(path, KeyMaterial.generate(new SecureRandom()), 8);
        anchoring = new ChainAnchoring(Optional.of(file), s -> Optional.ofNullable(stored.get(s)), copied::add, clock,
                everyRecords, interval, new SimpleMeterRegistry());
        return anchoring;
    }

    private ChainHead append(long sequence) {
        byte[] mac = new byte[32];
        mac[0] = (byte) sequence;
        mac[1] = (byte) (sequence >> 8);
        stored.put(sequence, mac);
        ChainHead head = new ChainHead(sequence, mac);
        anchoring.appended(head);
        return head;
    }

    private long anchoredSequence() {
        return file.read().newest(ChainAnchor.AUDIT).map(ChainAnchor::sequence).orElse(0L);
    }

    @Test
    void appended_firstHead_anchoredAtOnceAndCopied() {
        start(1000, Duration.ofMinutes(5));

        append(3);

        assertThat(anchoredSequence()).isEqualTo(3);
        assertThat(copied).extracting(ChainAnchor::sequence).containsExactly(3L);
    }

    @Test
    void appended_everyRecords_anchoredOncePerThatMany() {
        start(1000, Duration.ofMinutes(5));
        append(1);

        for (long sequence = 100; sequence <= 2500; sequence += 100) {
            append(sequence);
        }

        assertThat(file.read().of(ChainAnchor.AUDIT)).extracting(ChainAnchor::sequence).containsExactly(1L, 1100L, 2100L);
    }

    @Test
    void idle_afterTheInterval_anchorsWhatWasAppendedSince() {
        start(1000, Duration.ofMinutes(5));
        append(1);
        append(2);
        anchoring.idle();
        assertThat(anchoredSequence()).as("before the interval").isEqualTo(1);

        clock.advance(Duration.ofMinutes(5));
        anchoring.idle();

        assertThat(anchoredSequence()).isEqualTo(2);
        assertThat(file.read().newest(ChainAnchor.AUDIT).orElseThrow().time()).isEqualTo(clock.instant());
    }

    @Test
    void appended_anchoredRecordRewrittenInTheDatabase_fileKeptAsEvidence() {
        start(10, Duration.ofMinutes(5));
        ChainHead anchored = append(1);
        stored.put(1L, new byte[32]); // the database now holds another record 1

        append(20);

        assertThat(file.read().of(ChainAnchor.AUDIT)).extracting(ChainAnchor::sequence).containsExactly(1L);
        assertThat(file.read().newest(ChainAnchor.AUDIT).orElseThrow().mac()).isEqualTo(anchored.lastMac());
    }

    @Test
    void appended_headBehindTheAnchorAfterARollback_noNewAnchor() {
        start(10, Duration.ofMinutes(5));
        append(1);
        append(50);

        append(30); // the log was rolled back to before 50 and appended to again

        assertThat(anchoredSequence()).isEqualTo(50);
    }

    @Test
    void appended_fileCannotBeWritten_retriedLaterWithoutThrowing() throws Exception {
        Path blocker = java.nio.file.Files.createFile(dir.resolve("blocker")); // a file where a directory should be
        start(blocker.resolve("anchor"), 1, Duration.ofMinutes(5));

        append(1);
        java.nio.file.Files.delete(blocker);
        append(2);
        assertThat(anchoredSequence()).as("within the retry pause").isZero();
        clock.advance(Duration.ofSeconds(10));
        append(3);

        assertThat(anchoredSequence()).isEqualTo(3);
    }
}
