package dev.atrest.keyservice.access;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Walks revocation-ledger entries from a point already verified to the stored head. Every entry's token
 * counts as revoked whether or not its MAC verifies (honouring a revocation is always safe); what the walk
 * decides is whether anything was removed or rewritten: a missing sequence, an entry whose MAC does not
 * chain, a head that is not the last entry, or a head behind the point already seen (a rollback).
 */
public final class LedgerCheck {
    /** One stored entry as read. */
    public record Entry(long sequence, String tokenId, Instant revokeTime, byte[] mac) {}

    /**
     * @param reached the head this walk verified up to (the stored head when intact)
     * @param problem the first thing found wrong, if any
     */
    public record Outcome(LedgerHead reached, List<Entry> entries, Optional<String> problem) {
        public boolean intact() {
            return problem.isEmpty();
        }
    }

    private final TokenMacs macs;

    public LedgerCheck(TokenMacs macs) {
        this.macs = macs;
    }

    /** Checks {@code entries} (those after {@code from}, in sequence order) against the stored head. */
    public Outcome walk(LedgerHead from, List<Entry> entries, LedgerHead storedHead) {
        if (storedHead.sequence() < from.sequence()) {
            return new Outcome(storedHead, entries, Optional.of("the revocation ledger went back from entry "
                    + from.sequence() + " to " + storedHead.sequence() + ": entries were removed (a rollback)"));
        }
        long sequence = from.sequence();
        byte[] mac = from.mac();
        List<String> problems = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.sequence() != sequence + 1) {
                problems.add("revocation ledger entry " + (sequence + 1) + " is missing");
            } else if (!MessageDigest.isEqual(entry.mac(), macs.revocationMac(mac, entry.sequence(), entry.tokenId(),
                    entry.revokeTime()))) {
                problems.add("revocation ledger entry " + entry.sequence() + " (token " + entry.tokenId()
                        + ") was changed or not written by the service");
            }
            sequence = entry.sequence();
            mac = entry.mac();
            if (!problems.isEmpty()) {
                return new Outcome(storedHead, entries, Optional.of(problems.get(0)));
            }
        }
        if (sequence != storedHead.sequence() || !MessageDigest.isEqual(mac, storedHead.mac())) {
            return new Outcome(storedHead, entries, Optional.of("the revocation ledger's head (entry "
                    + storedHead.sequence() + ") is not its last entry (" + sequence + "): entries were removed or"
                    + " the head was rewritten"));
        }
        return new Outcome(storedHead, entries, Optional.empty());
    }
}
