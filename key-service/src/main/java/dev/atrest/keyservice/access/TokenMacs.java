package dev.atrest.keyservice.access;

import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.domain.AccessToken;
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
 * The MACs that make access-token rows and the revocation ledger authentic, under a key derived from the
 * seal key (never in the database): whoever can only write to the database can neither forge a token row
 * nor change what one grants, nor re-forge the ledger after removing a revocation from it.
 *
 * <p>Every encoding starts with its own label (so a row's MAC can never pass for a ledger entry's) and is
 * canonical: text as a 4-byte length and UTF-8 bytes, times as epoch microseconds (what MariaDB keeps),
 * project ids sorted and counted.
 */
public final class TokenMacs {
    public static final int MAC_BYTES = 32;
    private static final String HMAC = "HmacSHA256";
    private static final String ROW = "atrest access token row v1";
    private static final String REVOCATION = "atrest access token revocation v1";
    private static final String GENESIS = "atrest access token revocation ledger genesis v1";

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    /** Copies {@code macKey}; the caller still owns it. */
    public TokenMacs(KeyMaterial macKey) {
        byte[] bytes = macKey.copyBytes();
        try {
            this.key = new SecretKeySpec(bytes, HMAC);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The MAC of a token row: everything it grants, and the hash of its secret; not its revocation. */
    public byte[] rowMac(AccessToken token, String tokenSha256) {
        Encoder out = new Encoder(ROW).text(token.tokenId()).text(tokenSha256).text(token.name())
                .text(token.role().name()).flag(token.allProjects()).count(token.projectIds().size());
        token.projectIds().stream().sorted().forEach(out::text);
        return mac(out.time(token.createTime()).optionalTime(token.expireTime()).text(token.createdBy()).bytes());
    }

    public boolean rowVerifies(AccessToken token, String tokenSha256, byte[] storedMac) {
        return storedMac != null && MessageDigest.isEqual(rowMac(token, tokenSha256), storedMac);
    }

    /** What the ledger's first entry chains from: only the holder of the key can write it into the head. */
    public byte[] genesis() {
        return mac(new Encoder(GENESIS).bytes());
    }

    /** The MAC of ledger entry {@code sequence}, which follows the entry (or genesis) whose MAC is {@code previousMac}. */
    public byte[] revocationMac(byte[] previousMac, long sequence, String tokenId, Instant revokeTime) {
        return mac(new Encoder(REVOCATION).raw(previousMac).number(sequence).text(tokenId).time(revokeTime).bytes());
    }

    private byte[] mac(byte[] encoded) {
        return macs.get().doFinal(encoded);
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

    @Override
    public String toString() {
        return "TokenMacs[key redacted]";
    }

    /** Length-prefixed, big-endian fields after a label. */
    private static final class Encoder {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        private final DataOutputStream out = new DataOutputStream(buffer);

        Encoder(String label) {
            text(label);
        }

        Encoder text(String value) {
            return raw(value.getBytes(StandardCharsets.UTF_8));
        }

        Encoder raw(byte[] value) {
            return write(() -> {
                out.writeInt(value.length);
                out.write(value);
            });
        }

        Encoder flag(boolean value) {
            return write(() -> out.writeByte(value ? 1 : 0));
        }

        Encoder count(int value) {
            return write(() -> out.writeInt(value));
        }

        Encoder number(long value) {
            return write(() -> out.writeLong(value));
        }

        Encoder time(Instant time) {
            return number(epochMicros(time));
        }

        /** A flag, then the time when there is one: "never" differs from every instant. */
        Encoder optionalTime(Instant time) {
            flag(time != null);
            return time == null ? this : time(time);
        }

        byte[] bytes() {
            return buffer.toByteArray();
        }

        private Encoder write(IoStep step) {
            try {
                step.run();
            } catch (IOException e) {
                throw new UncheckedIOException("a byte array stream does not fail", e);
            }
            return this;
        }

        private static long epochMicros(Instant time) {
            return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000);
        }
    }

    @FunctionalInterface
    private interface IoStep {
        void run() throws IOException;
    }
}
