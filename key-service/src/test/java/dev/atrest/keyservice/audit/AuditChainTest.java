package dev.atrest.keyservice.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.crypto.KeyMaterial;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class AuditChainTest {
    private static final Instant T = Instant.parse("2025-03-01T10:15:30.123456Z");
    private static final AuditEvent EVENT = new AuditEvent("token:t1", "atrest.v1.DatabaseKeyService/GetDatabaseKey",
            "projects/p1/clusters/c1/databases/d1", "OK", "");

    private final AuditChain chain = new AuditChain(KeyMaterial.generate(new SecureRandom()));

    @Test
    void encode_charactersMovedBetweenFields_encodingsDiffer() {
        AuditEvent a = new AuditEvent("ab", "c", "", "OK", "");
        AuditEvent b = new AuditEvent("a", "bc", "", "OK", "");

        assertThat(AuditChain.encode(1, T, a)).isNotEqualTo(AuditChain.encode(1, T, b));
    }

    @Test
    void mac_anyFieldChanged_macDiffers() {
        byte[] mac = chain.mac(AuditChain.genesis(), 1, T, EVENT);

        assertThat(chain.mac(AuditChain.genesis(), 2, T, EVENT)).isNotEqualTo(mac);
        assertThat(chain.mac(AuditChain.genesis(), 1, T.plusNanos(1_000), EVENT)).isNotEqualTo(mac);
        assertThat(chain.mac(AuditChain.genesis(), 1, T, new AuditEvent("token:t2", EVENT.action(), EVENT.resource(),
                EVENT.outcome(), EVENT.detail()))).isNotEqualTo(mac);
        assertThat(chain.mac(AuditChain.genesis(), 1, T, new AuditEvent(EVENT.actor(), EVENT.action(), EVENT.resource(),
                "PERMISSION_DENIED", EVENT.detail()))).isNotEqualTo(mac);
        assertThat(chain.mac(AuditChain.genesis(), 1, T, new AuditEvent(EVENT.actor(), EVENT.action(), EVENT.resource(),
                EVENT.outcome(), "x"))).isNotEqualTo(mac);
    }

    @Test
    void mac_otherPreviousMac_macDiffers() {
        byte[] previous = chain.mac(AuditChain.genesis(), 1, T, EVENT);

        assertThat(chain.mac(previous, 2, T, EVENT)).isNotEqualTo(chain.mac(AuditChain.genesis(), 2, T, EVENT));
    }

    @Test
    void verifies_sameRecord_trueAndOtherKey_false() {
        StoredRecord record = new StoredRecord(1, T, EVENT, chain.mac(AuditChain.genesis(), 1, T, EVENT));
        AuditChain otherKey = new AuditChain(KeyMaterial.generate(new SecureRandom()));

        assertThat(chain.verifies(AuditChain.genesis(), record)).isTrue();
        assertThat(otherKey.verifies(AuditChain.genesis(), record)).isFalse();
    }

    /** Chains already stored must keep verifying: the MAC is the documented format, computed independently here. */
    @Test
    void mac_manyRecordsInARow_equalHmacOfTheDocumentedEncoding() throws Exception {
        KeyMaterial key = KeyMaterial.generate(new SecureRandom());
        AuditChain keyed = new AuditChain(key);
        AuditEvent unicode = new AuditEvent("token:t1", "atrest.v1.AccessService/CreateAccessToken", "tokens/tök",
                "INVALID_ARGUMENT", "name: must be … ✓");
        byte[] previous = AuditChain.genesis();
        for (long sequence = 1; sequence <= 3; sequence++) {
            AuditEvent event = sequence == 2 ? unicode : EVENT;
            byte[] expected = referenceMac(key.copyBytes(), previous, sequence, T, event);

            byte[] mac = keyed.mac(previous, sequence, T, event);

            assertThat(mac).isEqualTo(expected);
            previous = mac;
        }
    }

    private static byte[] referenceMac(byte[] key, byte[] previous, long sequence, Instant time, AuditEvent event)
            throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeLong(sequence);
        out.writeLong(time.getEpochSecond() * 1_000_000L + time.getNano() / 1_000);
        for (String field : new String[] {event.actor(), event.action(), event.resource(), event.outcome(),
                event.detail()}) {
            byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update(previous);
        return mac.doFinal(bytes.toByteArray());
    }

    @Test
    void genesis_is32ZeroBytes() {
        assertThat(AuditChain.genesis()).hasSize(32).containsOnly(0);
    }
}
