package dev.atrest.keyservice.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Which of the oldest records one retention batch may prune: the unbroken run from the checkpoint (or record
 * 1) of records older than the cut-off, each verified on the way. A record that does not verify stops
 * retention where it is: pruning it would erase the evidence of a change and MAC it into a checkpoint.
 *
 * @param count   records to prune (0: nothing to do, or {@code problem})
 * @param last    the last of them, which the new checkpoint names; null when count is 0
 * @param problem why retention must stop here; empty when it may go on
 */
public record RetentionCut(int count, StoredRecord last, String problem) {

    /** @param oldest the records after {@code start}, in sequence order, as many as one batch prunes */
    public static RetentionCut of(Optional<AuditCheckpoint> start, List<StoredRecord> oldest, Instant cutoff,
                                  AuditChain chain) {
        byte[] previous = start.map(AuditCheckpoint::mac).orElse(AuditChain.genesis());
        long expected = start.map(AuditCheckpoint::sequence).orElse(0L) + 1;
        int count = 0;
        StoredRecord last = null;
        for (StoredRecord record : oldest) {
            if (!record.time().isBefore(cutoff)) {
                break;
            }
            if (record.sequence() != expected || !chain.verifies(previous, record)) {
                return new RetentionCut(count, last, "record " + expected + " is missing or does not verify: "
                        + "retention stops there so as not to erase the evidence (VerifyAuditLog says more)");
            }
            previous = record.mac();
            expected++;
            count++;
            last = record;
        }
        return new RetentionCut(count, last, "");
    }
}
