package dev.atrest.keyservice.audit;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One record of the audit log as stored: its place in the chain, when it was recorded, the event, and
 * the MAC that chains it to the record before.
 */
public record StoredRecord(long sequence, Instant time, AuditEvent event, byte[] mac) {
    public StoredRecord {
        mac = mac.clone();
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredRecord that && sequence == that.sequence && time.equals(that.time)
                && event.equals(that.event) && Arrays.equals(mac, that.mac);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence);
    }

    @Override
    public String toString() {
        return "StoredRecord[" + sequence + " " + time + " " + event + " mac=" + HexFormat.of().formatHex(mac) + "]";
    }
}
