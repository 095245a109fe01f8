package dev.atrest.keyservice.access;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Where the revocation ledger ends: the last entry's sequence and MAC (0 and the genesis MAC when no token
 * was revoked). Anchoring it outside the database lets a later check tell a ledger rolled back to an older
 * copy, which the database alone cannot show after every replica restarted.
 */
public record LedgerHead(long sequence, byte[] mac) {
    public LedgerHead {
        mac = mac.clone();
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LedgerHead head && head.sequence == sequence
                && MessageDigest.isEqual(head.mac, mac);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence);
    }

    @Override
    public String toString() {
        return "LedgerHead[sequence=" + sequence + ", mac=" + HexFormat.of().formatHex(mac) + "]";
    }
}
