package dev.atrest.keyservice.audit;

import java.security.MessageDigest;

/**
 * Verifies the audit chain as it is read, one record at a time in sequence order, so that a log of any
 * length is checked in constant memory. Stops at the first problem:
 * <ul>
 *   <li>a record changed (or re-inserted with other content): its MAC does not match;</li>
 *   <li>a record deleted: a sequence number is missing;</li>
 *   <li>a record inserted or reordered: a sequence number out of order, or a MAC that does not chain;</li>
 *   <li>records deleted from the end: the head names a later record than the last one present, or this
 *       service wrote a later one;</li>
 *   <li>the head modified: it does not name the last record and its MAC.</li>
 * </ul>
 * Someone who deletes records from the end and also rewinds the head to the last record left is only
 * caught while a service that wrote the deleted records still runs ({@code highestWrittenHere}): the
 * database holds nothing else to compare with.
 */
public final class ChainCheck {
    private final AuditChain chain;
    private final long highestWrittenHere;
    private byte[] previousMac = AuditChain.genesis();
    private long expected = 1;
    private ChainVerdict broken;

    /** @param highestWrittenHere the highest sequence this service appended since it started, 0 if none */
    public ChainCheck(AuditChain chain, long highestWrittenHere) {
        this.chain = chain;
        this.highestWrittenHere = highestWrittenHere;
    }

    /** Checks the next record in sequence order; false once a problem is found (read no further). */
    public boolean accept(StoredRecord record) {
        if (broken != null) {
            return false;
        }
        long verified = expected - 1;
        if (record.sequence() < expected) {
            // Sequences are unique and read in order, so only a number below 1 can come too early.
            broken = ChainVerdict.broken(verified, expected, "a record numbered " + record.sequence()
                    + " comes before record " + expected + " (inserted)");
        } else if (record.sequence() > expected) {
            broken = ChainVerdict.broken(verified, expected, "record " + expected + " is missing (deleted)");
        } else if (!chain.verifies(previousMac, record)) {
            broken = ChainVerdict.broken(verified, expected, "record " + expected
                    + " does not match its MAC (changed, or not written by this service)");
        } else {
            previousMac = record.mac();
            expected++;
            return true;
        }
        return false;
    }

    /** The verdict once every record was read (or reading stopped), given the stored head. */
    public ChainVerdict finish(ChainHead head) {
        if (broken != null) {
            return broken;
        }
        long last = expected - 1;
        if (head.lastSequence() > last) {
            return ChainVerdict.broken(last, last + 1, "records " + (last + 1) + " to " + head.lastSequence()
                    + " are missing: the log ends at " + last + " but its head names " + head.lastSequence()
                    + " (deleted from the end)");
        }
        if (head.lastSequence() < last) {
            return ChainVerdict.broken(head.lastSequence(), head.lastSequence() + 1, "records "
                    + (head.lastSequence() + 1) + " to " + last + " lie beyond the head, which names "
                    + head.lastSequence() + " (head modified, or records appended behind the service's back)");
        }
        if (!MessageDigest.isEqual(head.lastMac(), previousMac)) {
            return ChainVerdict.broken(Math.max(last - 1, 0), Math.max(last, 1), "the head's MAC does not match "
                    + "record " + last + " (head modified)");
        }
        if (highestWrittenHere > last) {
            return ChainVerdict.broken(last, last + 1, "records " + (last + 1) + " to " + highestWrittenHere
                    + " were written by this service but are missing (deleted from the end, head rewound)");
        }
        return ChainVerdict.intact(last);
    }
}
