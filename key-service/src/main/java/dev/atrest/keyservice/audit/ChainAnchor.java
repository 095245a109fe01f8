package dev.atrest.keyservice.audit;

import java.time.Instant;
import java.util.HexFormat;

/**
 * One chain's head as the service saw it at {@code time}, kept outside the database: the chain must still
 * hold record {@code sequence} with exactly {@code mac} (or have moved on past it). {@code chain} names which
 * chain, so that one anchor file can carry several ("audit" today; a token-revocation ledger could add its own).
 */
public record ChainAnchor(String chain, long sequence, byte[] mac, Instant time) {
    /** The audit log's chain (audit_record). */
    public static final String AUDIT = "audit";

    public ChainAnchor {
        if (!chain.matches("[a-z0-9-]{1,40}")) {
            throw new IllegalArgumentException("a chain name is 1 to 40 of a-z, 0-9 and '-'");
        }
        if (sequence < 1) {
            throw new IllegalArgumentException("an anchored sequence is 1 or more");
        }
        if (mac.length != AuditChain.MAC_BYTES) {
            throw new IllegalArgumentException("an anchored MAC is " + AuditChain.MAC_BYTES + " bytes");
        }
        mac = mac.clone();
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    public String macHex() {
        return HexFormat.of().formatHex(mac);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChainAnchor that && chain.equals(that.chain) && sequence == that.sequence
                && java.util.Arrays.equals(mac, that.mac) && time.equals(that.time);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence);
    }

    @Override
    public String toString() {
        return chain + "@" + sequence + " (" + time + ")";
    }
}
