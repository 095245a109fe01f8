package dev.atrest.keyservice.audit;

/**
 * What a walk over the audit chain found.
 *
 * @param recordsVerified  records that verified before the first problem (all of them when intact)
 * @param firstBadSequence the first record that fails, or the first one missing; 0 when intact
 * @param problem          what is wrong there, in words; empty when intact
 */
public record ChainVerdict(boolean intact, long recordsVerified, long firstBadSequence, String problem) {
    static ChainVerdict intact(long recordsVerified) {
        return new ChainVerdict(true, recordsVerified, 0, "");
    }

    static ChainVerdict broken(long recordsVerified, long firstBadSequence, String problem) {
        return new ChainVerdict(false, recordsVerified, firstBadSequence, problem);
    }
}
