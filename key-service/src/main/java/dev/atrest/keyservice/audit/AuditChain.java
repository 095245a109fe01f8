package dev.atrest.keyservice.audit;

import dev.atrest.keyservice.crypto.KeyMaterial;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            mac.update(previousMac);
            return mac.doFinal(encode(sequence, time, event));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /** Whether {@code record} is exactly what was appended after the record whose MAC is {@code previousMac}. */
    public boolean verifies(byte[] previousMac, StoredRecord record) {
        byte[] expected = mac(previousMac, record.sequence(), record.time(), record.event());
        return MessageDigest.isEqual(expected, record.mac());
    }

    static byte[] encode(long sequence, Instant time, AuditEvent event) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(sequence);
            out.writeLong(epochMicros(time));
            for (String field : new String[] {event.actor(), event.action(), event.resource(), event.outcome(),
                    event.detail()}) {
                byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
                out.writeInt(utf8.length);
                out.write(utf8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    private static long epochMicros(Instant time) {
        return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000);
    }
}
