package dev.atrest.keyservice.audit;

import java.time.Instant;

/**
 * Where the stored chain begins once retention pruned its oldest records: the last pruned record's sequence,
 * MAC and time (the next record chains from this MAC), how many records were pruned in all, when, and a MAC
 * over all of it under the checkpoint key (derived from the seal key), so that a checkpoint written or
 * altered in the database does not verify.
 */
public record AuditCheckpoint(long sequence, byte[] mac, Instant recordTime, long prunedCount,
                              Instant checkpointTime, byte[] checkpointMac) {
    public AuditCheckpoint {
        mac = mac.clone();
        checkpointMac = checkpointMac.clone();
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    @Override
    public byte[] checkpointMac() {
        return checkpointMac.clone();
    }

    @Override
    public String toString() {
        return "AuditCheckpoint[" + sequence + ", " + prunedCount + " pruned, " + checkpointTime + "]";
    }
}
