package dev.atrest.keyservice.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.crypto.KeyMaterial;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChainCheckTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private final AuditChain chain = new AuditChain(KeyMaterial.generate(new SecureRandom()));

    /** Records 1..count chained as the writer chains them, and the head it leaves. */
    private List<StoredRecord> log(int count) {
        List<StoredRecord> records = new ArrayList<>();
        byte[] mac = AuditChain.genesis();
        for (int sequence = 1; sequence <= count; sequence++) {
            AuditEvent event = new AuditEvent("token:t" + sequence, "atrest.v1.ClusterEncryptionService/SetClusterEncryption",
                    "projects/p1/clusters/c" + sequence, "OK", "");
            Instant time = T0.plusSeconds(sequence);
            mac = chain.mac(mac, sequence, time, event);
            records.add(new StoredRecord(sequence, time, event, mac));
        }
        return records;
    }

    private static ChainHead headOf(List<StoredRecord> records) {
        StoredRecord last = records.get(records.size() - 1);
        return new ChainHead(last.sequence(), last.mac());
    }

    private ChainVerdict check(List<StoredRecord> records, ChainHead head, long highestWrittenHere) {
        ChainCheck check = new ChainCheck(chain, highestWrittenHere);
        for (StoredRecord record : records) {
            if (!check.accept(record)) {
                break;
            }
        }
        return check.finish(head);
    }

    @Test
    void finish_untouchedLog_intactWithEveryRecordVerified() {
        List<StoredRecord> records = log(5);

        assertThat(check(records, headOf(records), 5)).isEqualTo(new ChainVerdict(true, 5, 0, ""));
    }

    @Test
    void finish_emptyLog_intact() {
        assertThat(check(List.of(), new ChainHead(0, AuditChain.genesis()), 0).intact()).isTrue();
    }

    @Test
    void finish_recordChanged_reportsThatRecord() {
        List<StoredRecord> records = log(5);
        ChainHead head = headOf(records);
        StoredRecord third = records.get(2);
        records.set(2, new StoredRecord(3, third.time(), new AuditEvent("token:someone-else", third.event().action(),
                third.event().resource(), third.event().outcome(), third.event().detail()), third.mac()));

        ChainVerdict verdict = check(records, head, 5);

        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.firstBadSequence()).isEqualTo(3);
        assertThat(verdict.recordsVerified()).isEqualTo(2);
        assertThat(verdict.problem()).contains("record 3").contains("changed");
    }

    @Test
    void finish_middleRecordDeleted_reportsTheMissingSequence() {
        List<StoredRecord> records = log(5);
        ChainHead head = headOf(records);
        records.remove(1);

        ChainVerdict verdict = check(records, head, 5);

        assertThat(verdict.firstBadSequence()).isEqualTo(2);
        assertThat(verdict.problem()).contains("record 2 is missing");
    }

    @Test
    void finish_recordsSwapped_reportsTheFirstOutOfPlace() {
        List<StoredRecord> records = log(5);
        ChainHead head = headOf(records);
        StoredRecord second = records.get(1);
        StoredRecord third = records.get(2);
        // Renumbered so the sequence has no gap: only the MACs can tell.
        records.set(1, new StoredRecord(2, third.time(), third.event(), third.mac()));
        records.set(2, new StoredRecord(3, second.time(), second.event(), second.mac()));

        assertThat(check(records, head, 5).firstBadSequence()).isEqualTo(2);
    }

    @Test
    void finish_recordInsertedBeforeTheFirst_reportsIt() {
        List<StoredRecord> records = log(3);
        ChainHead head = headOf(records);
        records.add(0, new StoredRecord(0, T0, records.get(0).event(), records.get(0).mac()));

        ChainVerdict verdict = check(records, head, 3);

        assertThat(verdict.firstBadSequence()).isEqualTo(1);
        assertThat(verdict.problem()).contains("inserted");
    }

    @Test
    void finish_tailDeleted_reportsTheFirstMissingFromTheHead() {
        List<StoredRecord> records = log(5);
        ChainHead head = headOf(records);

        ChainVerdict verdict = check(records.subList(0, 3), head, 0);

        assertThat(verdict.firstBadSequence()).isEqualTo(4);
        assertThat(verdict.recordsVerified()).isEqualTo(3);
        assertThat(verdict.problem()).contains("deleted from the end");
    }

    @Test
    void finish_tailDeletedAndHeadRewound_caughtByWhatThisServiceWrote() {
        List<StoredRecord> records = log(5);
        List<StoredRecord> left = records.subList(0, 3);

        ChainVerdict verdict = check(left, headOf(left), 5);

        assertThat(verdict.firstBadSequence()).isEqualTo(4);
        assertThat(verdict.problem()).contains("head rewound");
    }

    @Test
    void finish_headMacChanged_reportsHeadModified() {
        List<StoredRecord> records = log(3);

        ChainVerdict verdict = check(records, new ChainHead(3, new byte[32]), 3);

        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.firstBadSequence()).isEqualTo(3);
        assertThat(verdict.problem()).contains("head modified");
    }

    @Test
    void finish_headBehindTheLastRecord_reportsTheFirstBeyondIt() {
        List<StoredRecord> records = log(4);

        ChainVerdict verdict = check(records, headOf(records.subList(0, 2)), 4);

        assertThat(verdict.firstBadSequence()).isEqualTo(3);
        assertThat(verdict.problem()).contains("beyond the head");
    }

    // --- against the anchor and from a retention checkpoint -------------------------------------------

    private final CheckpointSeal seal = new CheckpointSeal(KeyMaterial.generate(new SecureRandom()));

    private static AnchorReading anchored(StoredRecord... records) {
        List<ChainAnchor> anchors = new ArrayList<>();
        for (StoredRecord record : records) {
            anchors.add(new ChainAnchor(ChainAnchor.AUDIT, record.sequence(), record.mac(), record.time()));
        }
        return AnchorReading.valid(anchors);
    }

    private ChainVerdict check(List<StoredRecord> records, ChainHead head, AnchorReading anchors,
                               Optional<AuditCheckpoint> checkpoint) {
        ChainCheck check = new ChainCheck(chain, 0, anchors, seal); // 0: as after a restart, nothing in memory
        check.startFrom(checkpoint);
        for (StoredRecord record : records) {
            if (!check.accept(record)) {
                break;
            }
        }
        return check.finish(head);
    }

    @Test
    void finish_anchoredRecordPresent_intactAnchorMatched() {
        List<StoredRecord> records = log(6);

        ChainVerdict verdict = check(records, headOf(records), anchored(records.get(1), records.get(3)), Optional.empty());

        assertThat(verdict.intact()).as("%s", verdict).isTrue();
        assertThat(verdict.anchorStatus()).isEqualTo(AnchorStatus.MATCHED);
        assertThat(verdict.anchor().orElseThrow().sequence()).isEqualTo(4);
    }

    @Test
    void finish_olderCopyRestoredAfterRestart_reportsTheRollbackAgainstTheAnchor() {
        List<StoredRecord> records = log(6);
        List<StoredRecord> olderCopy = records.subList(0, 3);

        ChainVerdict verdict = check(olderCopy, headOf(olderCopy), anchored(records.get(4)), Optional.empty());

        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.anchorStatus()).isEqualTo(AnchorStatus.MISMATCH);
        assertThat(verdict.firstBadSequence()).isEqualTo(4);
        assertThat(verdict.problem()).contains("anchored outside the database").contains("rolled back");
    }

    @Test
    void finish_rewrittenWithRecomputedMacs_reportsTheAnchoredRecord() {
        List<StoredRecord> records = log(6);
        AnchorReading anchors = anchored(records.get(4));
        // Someone holding the MAC key rewrites record 3 and re-chains everything after it.
        List<StoredRecord> rewritten = new ArrayList<>(records.subList(0, 2));
        byte[] mac = records.get(1).mac();
        for (StoredRecord original : records.subList(2, 6)) {
            AuditEvent event = original.sequence() == 3 ? new AuditEvent("token:innocent", "x", "", "OK", "")
                    : original.event();
            mac = chain.mac(mac, original.sequence(), original.time(), event);
            rewritten.add(new StoredRecord(original.sequence(), original.time(), event, mac));
        }

        ChainVerdict verdict = check(rewritten, headOf(rewritten), anchors, Optional.empty());

        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.anchorStatus()).isEqualTo(AnchorStatus.MISMATCH);
        assertThat(verdict.firstBadSequence()).isEqualTo(5);
        assertThat(verdict.problem()).contains("record 5 differs from the one anchored");
    }

    @Test
    void finish_anchorFileInvalid_notIntactEvenWithIntactRecords() {
        List<StoredRecord> records = log(3);

        ChainVerdict verdict = check(records, headOf(records), AnchorReading.invalid("the anchor file x does not verify"),
                Optional.empty());

        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.anchorStatus()).isEqualTo(AnchorStatus.INVALID);
        assertThat(verdict.firstBadSequence()).isZero();
        assertThat(verdict.problem()).contains("does not verify");
    }

    @Test
    void finish_fromAValidCheckpoint_intactCountingFromIt() {
        List<StoredRecord> records = log(6);
        StoredRecord lastPruned = records.get(2);
        AuditCheckpoint checkpoint = seal.seal(3, lastPruned.mac(), lastPruned.time(), 3, T0.plusSeconds(100));

        ChainVerdict verdict = check(records.subList(3, 6), headOf(records), anchored(records.get(2), records.get(4)),
                Optional.of(checkpoint));

        assertThat(verdict.intact()).as("%s", verdict).isTrue();
        assertThat(verdict.recordsVerified()).isEqualTo(3);
        assertThat(verdict.checkpointSequence()).isEqualTo(3);
        assertThat(verdict.prunedCount()).isEqualTo(3);
        assertThat(verdict.anchorStatus()).isEqualTo(AnchorStatus.MATCHED);
    }

    @Test
    void finish_forgedCheckpoint_reported() {
        List<StoredRecord> records = log(6);
        StoredRecord lastPruned = records.get(2);
        AuditCheckpoint real = seal.seal(3, lastPruned.mac(), lastPruned.time(), 3, T0.plusSeconds(100));
        AuditCheckpoint forged = new AuditCheckpoint(3, real.mac(), real.recordTime(), 1, real.checkpointTime(),
                real.checkpointMac());

        ChainVerdict verdict = check(records.subList(3, 6), headOf(records), AnchorReading.absent(), Optional.of(forged));

        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.problem()).contains("checkpoint").contains("forged");
    }

    @Test
    void finish_checkpointMovedPastPrunedRecordsItDoesNotCover_reportsTheMissingRecord() {
        List<StoredRecord> records = log(6);
        StoredRecord first = records.get(0);
        AuditCheckpoint older = seal.seal(1, first.mac(), first.time(), 1, T0.plusSeconds(100));

        ChainVerdict verdict = check(records.subList(3, 6), headOf(records), AnchorReading.absent(), Optional.of(older));

        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.firstBadSequence()).isEqualTo(2);
    }
}
