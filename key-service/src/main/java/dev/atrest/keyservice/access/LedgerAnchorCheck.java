package dev.atrest.keyservice.access;

import dev.atrest.keyservice.audit.ChainAnchor;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Compares the revocation ledger in the database with its head anchored outside it (chain {@value #CHAIN} of
 * the anchor file). The database alone cannot show a clean rollback of the whole ledger (entries deleted, the
 * head rewound to an earlier sequence and MAC, rows put back) once every replica restarted; the anchor can:
 * the ledger must still hold the anchored entry with the anchored MAC, or have moved on past it.
 */
public final class LedgerAnchorCheck {
    /** The ledger's chain name in the anchor file. */
    public static final String CHAIN = "token-revocations";

    private LedgerAnchorCheck() {}

    /**
     * What contradicts the anchor, if anything.
     *
     * @param head the ledger's head as loaded from the database
     * @param anchored the newest anchored head
     * @param storedAtAnchored the MAC the database holds for entry {@code anchored.sequence()}, if it holds one
     */
    public static Optional<String> contradiction(LedgerHead head, ChainAnchor anchored,
                                                 Optional<byte[]> storedAtAnchored) {
        String where = " (anchored at " + anchored.time() + ")";
        if (head.sequence() < anchored.sequence()) {
            return Optional.of("the revocation ledger ends at entry " + head.sequence() + " but entry "
                    + anchored.sequence() + " was anchored outside the database" + where + ": the ledger was rolled"
                    + " back (revocations removed, or an older copy restored)");
        }
        byte[] there = head.sequence() == anchored.sequence() ? head.mac() : storedAtAnchored.orElse(null);
        if (there == null) {
            return Optional.of("revocation ledger entry " + anchored.sequence() + where + " is missing: the ledger"
                    + " was rewritten");
        }
        if (!MessageDigest.isEqual(there, anchored.mac())) {
            return Optional.of("revocation ledger entry " + anchored.sequence() + " differs from the one anchored"
                    + where + ": the ledger was rolled back and rewritten");
        }
        return Optional.empty();
    }

    /** Whether {@code head}, not contradicting {@code newest}, is a new anchor (nothing anchors an empty ledger). */
    public static boolean advances(LedgerHead head, Optional<ChainAnchor> newest) {
        return head.sequence() > newest.map(ChainAnchor::sequence).orElse(0L);
    }
}
