package dev.atrest.keyservice.audit;

import dev.atrest.keyservice.crypto.KeyMaterial;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The audit log's hash chain: record n's MAC is HMAC-SHA256(key, MAC of record n-1 || encoding of record
 * n), and record 1 chains from 32 zero bytes. The key is derived from the seal key, which is never in
 * the database, so write access to the database alone cannot re-forge the chain after changing a record.
 *
 * <p>The encoding is canonical and unambiguous: sequence and time (epoch microseconds, what MariaDB
 * keeps) as 8 bytes each, then every text field as a 4-byte length and its UTF-8 bytes, so no two
 * different records encode alike (moving characters from one field to the next changes the lengths).
 */
public final class AuditChain {
    public static final int MAC_BYTES = 32;
    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;
    /**
     * One keyed HMAC per thread (the writer's, and each verifying call's): {@code Mac.getInstance} looks the
     * provider up and {@code init} hashes the key's pads, both once per record before; {@code doFinal}
     * leaves the Mac keyed and ready for the next record.
     */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    /** Copies {@code macKey}; the caller still owns it. */
    public AuditChain(KeyMaterial macKey) {
        byte[] bytes = macKey.copyBytes();
        try {
            this.key = new SecretKeySpec(bytes, HMAC);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** What record 1 chains from. */
    public static byte[] genesis() {
        return new byte[MAC_BYTES];
    }

    /** The MAC of a record that follows the record whose MAC is {@code previousMac}. */
    public byte[] mac(byte[] previousMac, long sequence, Instant time, AuditEvent event) {
        byte[] encoded = encode(sequence, time, event); // first: a failure must not leave the Mac half-fed
        Mac mac = macs.get();
        mac.update(previousMac);
        return mac.doFinal(encoded);
    }

    /** Whether {@code record} is exactly what was appended after the record whose MAC is {@code previousMac}. */
    public boolean verifies(byte[] previousMac, StoredRecord record) {
        byte[] expected = mac(previousMac, record.sequence(), record.time(), record.event());
        return MessageDigest.isEqual(expected, record.mac());
    }

    /** Sized exactly and written once (big-endian, as the format has always been): no growing buffer to copy. */
    static byte[] encode(long sequence, Instant time, AuditEvent event) {
        byte[] actor = utf8(event.actor());
        byte[] action = utf8(event.action());
        byte[] resource = utf8(event.resource());
        byte[] outcome = utf8(event.outcome());
        byte[] detail = utf8(event.detail());
        ByteBuffer out = ByteBuffer.allocate(2 * Long.BYTES + 5 * Integer.BYTES + actor.length + action.length
                + resource.length + outcome.length + detail.length);
        out.putLong(sequence).putLong(epochMicros(time));
        for (byte[] field : new byte[][] {actor, action, resource, outcome, detail}) {
            out.putInt(field.length).put(field);
        }
        return out.array();
    }

    private static byte[] utf8(String field) {
        return field.getBytes(StandardCharsets.UTF_8);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private static long epochMicros(Instant time) {
        return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000);
    }
}
