package dev.atrest.keyservice.audit;

import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Verifies the audit chain as it is read, one record at a time in sequence order, so that a log of any
 * length is checked in constant memory. Stops at the first problem:
 * <ul>
 *   <li>a record changed (or re-inserted with other content): its MAC does not match;</li>
 *   <li>a record deleted: a sequence number is missing;</li>
 *   <li>a record inserted or reordered: a sequence number out of order, or a MAC that does not chain;</li>
 *   <li>records deleted from the end: the head names a later record than the last one present, or this
 *       service wrote a later one;</li>
 *   <li>the head modified: it does not name the last record and its MAC;</li>
 *   <li>a retention checkpoint that does not verify under the checkpoint key (forged or altered);</li>
 *   <li>the log rolled back or rewritten against the anchor file: it ends before the newest anchored
 *       record, or holds an anchored record with another MAC. This is what catches someone with the
 *       database alone who deletes the tail and rewinds the head, or restores an older copy of the tables:
 *       the anchor is outside the database, and MAC'd under a key that is not in it either.</li>
 * </ul>
 */
public final class ChainCheck {
    private final AuditChain chain;
    private final long highestWrittenHere;
    private final AnchorReading anchors;
    private final List<ChainAnchor> auditAnchors;
    private final CheckpointSeal checkpoints;
    private byte[] previousMac = AuditChain.genesis();
    private long expected = 1;
    private long startAfter;
    private long prunedCount;
    private int nextAnchor;
    private boolean anchorCompared;
    private AnchorStatus anchorStatus;
    private ChainVerdict broken;

    /** A check of the records alone: no anchor, no checkpoint. */
    public ChainCheck(AuditChain chain, long highestWrittenHere) {
        this(chain, highestWrittenHere, AnchorReading.absent(), null);
    }

    /**
     * @param highestWrittenHere the highest sequence this service appended since it started, 0 if none
     * @param anchors            the anchor file as read before the records' snapshot was taken
     * @param checkpoints        verifies a retention checkpoint; null when none can exist
     */
    public ChainCheck(AuditChain chain, long highestWrittenHere, AnchorReading anchors, CheckpointSeal checkpoints) {
        this.chain = chain;
        this.highestWrittenHere = highestWrittenHere;
        this.anchors = anchors;
        this.auditAnchors = anchors.of(ChainAnchor.AUDIT);
        this.checkpoints = checkpoints;
    }

    /** Before the first record: where the stored chain begins (after retention's checkpoint, or at record 1). */
    public void startFrom(Optional<AuditCheckpoint> checkpoint) {
        if (checkpoint.isEmpty()) {
            return;
        }
        AuditCheckpoint start = checkpoint.get();
        if (checkpoints == null || !checkpoints.verifies(start)) {
            broken = verdict(false, 1, "the retention checkpoint after record " + start.sequence()
                    + " does not match its MAC (forged or altered): the records before it cannot be accounted for");
            return;
        }
        startAfter = start.sequence();
        prunedCount = start.prunedCount();
        previousMac = start.mac();
        expected = start.sequence() + 1;
        compareAnchors(start.sequence(), start.mac());
    }

    /** Checks the next record in sequence order; false once a problem is found (read no further). */
    public boolean accept(StoredRecord record) {
        if (broken != null) {
            return false;
        }
        if (record.sequence() < expected) {
            // Sequences are unique and read in order, so only a number below the start can come too early.
            broken = verdict(false, expected, "a record numbered " + record.sequence()
                    + " comes before record " + expected + " (inserted)");
        } else if (record.sequence() > expected) {
            broken = verdict(false, expected, "record " + expected + " is missing (deleted)");
        } else if (!chain.verifies(previousMac, record)) {
            broken = verdict(false, expected, "record " + expected
                    + " does not match its MAC (changed, or not written by this service)");
        } else {
            previousMac = record.mac();
            expected++;
            compareAnchors(record.sequence(), record.mac());
            return broken == null;
        }
        return false;
    }

    /** The verdict once every record was read (or reading stopped), given the stored head. */
    public ChainVerdict finish(ChainHead head) {
        if (broken != null) {
            return broken;
        }
        long last = expected - 1;
        Optional<ChainAnchor> newest = Optional.ofNullable(auditAnchors.isEmpty() ? null
                : auditAnchors.get(auditAnchors.size() - 1));
        boolean behindAnchor = newest.isPresent() && newest.get().sequence() > last;
        if (behindAnchor) {
            anchorStatus = AnchorStatus.MISMATCH;
        }
        if (head.lastSequence() > last) {
            return verdict(false, last + 1, "records " + (last + 1) + " to " + head.lastSequence()
                    + " are missing: the log ends at " + last + " but its head names " + head.lastSequence()
                    + " (deleted from the end)");
        }
        if (head.lastSequence() < last) {
            return verdict(false, head.lastSequence() + 1, "records " + (head.lastSequence() + 1) + " to " + last
                    + " lie beyond the head, which names " + head.lastSequence()
                    + " (head modified, or records appended behind the service's back)");
        }
        if (!MessageDigest.isEqual(head.lastMac(), previousMac)) {
            return verdict(false, Math.max(last, 1), "the head's MAC does not match record " + last + " (head modified)");
        }
        if (behindAnchor) {
            ChainAnchor anchor = newest.get();
            return verdict(false, last + 1, "the log ends at record " + last + " but record " + anchor.sequence()
                    + " was anchored outside the database at " + anchor.time() + ": records " + (last + 1) + " to "
                    + anchor.sequence() + " were deleted, or an older copy of the log restored (rolled back)");
        }
        if (highestWrittenHere > last) {
            return verdict(false, last + 1, "records " + (last + 1) + " to " + highestWrittenHere
                    + " were written by this service but are missing (deleted from the end, head rewound)");
        }
        if (anchors.status() == AnchorReading.Status.INVALID) {
            return verdict(false, 0, anchors.problem());
        }
        return verdict(true, 0, "");
    }

    /** Compares anchored heads at {@code sequence} (and skips those before it, pruned) with the MAC found there. */
    private void compareAnchors(long sequence, byte[] macThere) {
        while (nextAnchor < auditAnchors.size() && auditAnchors.get(nextAnchor).sequence() <= sequence) {
            ChainAnchor anchor = auditAnchors.get(nextAnchor++);
            if (anchor.sequence() < sequence) {
                continue; // before the checkpoint: pruned, and the checkpoint vouches for it
            }
            anchorCompared = true;
            if (!MessageDigest.isEqual(anchor.mac(), macThere)) {
                anchorStatus = AnchorStatus.MISMATCH;
                broken = verdict(false, sequence, "record " + sequence + " differs from the one anchored outside the"
                        + " database at " + anchor.time() + " (the log was rewritten, or an older copy restored and"
                        + " appended to)");
            }
        }
    }

    private ChainVerdict verdict(boolean intact, long firstBad, String problem) {
        long verified = Math.max(0, (firstBad == 0 ? expected - 1 : Math.min(firstBad, expected) - 1) - startAfter);
        return new ChainVerdict(intact, verified, firstBad, problem, status(), newestAnchor(), startAfter, prunedCount);
    }

    private AnchorStatus status() {
        if (anchors.status() == AnchorReading.Status.INVALID) {
            return AnchorStatus.INVALID;
        }
        if (anchorStatus != null) {
            return anchorStatus;
        }
        if (auditAnchors.isEmpty()) {
            return AnchorStatus.NONE;
        }
        if (nextAnchor < auditAnchors.size()) {
            return AnchorStatus.NOT_REACHED;
        }
        return anchorCompared ? AnchorStatus.MATCHED : AnchorStatus.NONE;
    }

    private Optional<ChainAnchor> newestAnchor() {
        return auditAnchors.isEmpty() ? Optional.empty() : Optional.of(auditAnchors.get(auditAnchors.size() - 1));
    }
}
