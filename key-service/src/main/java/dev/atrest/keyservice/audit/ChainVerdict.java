package dev.atrest.keyservice.audit;

import java.util.Optional;

/**
 * What a walk over the audit chain found.
 *
 * @param recordsVerified     records that verified before the first problem (all of them when intact), counted
 *                            from the checkpoint when retention pruned older ones
 * @param firstBadSequence    the first record that fails, or the first one missing; 0 when intact, and when the
 *                            problem is not in the records (an anchor file that does not verify)
 * @param problem             what is wrong there, in words; empty when intact
 * @param anchorStatus        how the chain compares with the heads anchored outside the database
 * @param anchor              the newest anchored head, when the anchor file holds one that verifies
 * @param checkpointSequence  the last record retention pruned (verification starts after it); 0 when none
 * @param prunedCount         records retention pruned in all; 0 when none
 */
public record ChainVerdict(boolean intact, long recordsVerified, long firstBadSequence, String problem,
                           AnchorStatus anchorStatus, Optional<ChainAnchor> anchor, long checkpointSequence,
                           long prunedCount) {

    /** A verdict on the records alone (no anchor, no checkpoint). */
    public ChainVerdict(boolean intact, long recordsVerified, long firstBadSequence, String problem) {
        this(intact, recordsVerified, firstBadSequence, problem, AnchorStatus.NONE, Optional.empty(), 0, 0);
    }
}
