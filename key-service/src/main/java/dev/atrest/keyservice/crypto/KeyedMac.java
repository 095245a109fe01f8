package dev.atrest.keyservice.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 under one key derived from the seal key, for one purpose (a token row, a revocation-ledger
 * entry, the audit anchor file, the retention checkpoint), over fields encoded unambiguously: numbers as 8
 * bytes, flags as 1, text and bytes as a 4-byte length and their bytes, times as epoch microseconds (what
 * MariaDB keeps). The purpose's label is MAC'd first, so a value MAC'd for one purpose never verifies for
 * another, even under the same key.
 */
public final class KeyedMac {
    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;
    private final String label;

    /** Copies {@code key}; the caller still owns it. */
    public KeyedMac(KeyMaterial key, String label) {
        byte[] bytes = key.copyBytes();
        try {
            this.key = new SecretKeySpec(bytes, HMAC);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        this.label = label;
    }

    /** Starts the fields of one value to MAC. */
    public Fields fields() {
        return new Fields().text(label);
    }

    public boolean verifies(Fields fields, byte[] mac) {
        return mac != null && MessageDigest.isEqual(fields.mac(), mac);
    }

    @Override
    public String toString() {
        return "KeyedMac[" + label + ", key redacted]";
    }

    /** The encoded fields of one value, in order. */
    public final class Fields {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

        private Fields() {}

        public Fields number(long value) {
            out.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(value).array());
            return this;
        }

        public Fields flag(boolean value) {
            out.write(value ? 1 : 0);
            return this;
        }

        public Fields text(String value) {
            return bytes(value.getBytes(StandardCharsets.UTF_8));
        }

        public Fields bytes(byte[] value) {
            out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(value.length).array());
            out.writeBytes(value);
            return this;
        }

        public Fields time(Instant time) {
            return number(Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000));
        }

        /** A flag, then the time when there is one: "never" differs from every instant. */
        public Fields optionalTime(Instant time) {
            flag(time != null);
            return time == null ? this : time(time);
        }

        public byte[] mac() {
            try {
                Mac mac = Mac.getInstance(HMAC);
                mac.init(key);
                return mac.doFinal(out.toByteArray());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
            }
        }
    }
}
