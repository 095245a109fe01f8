package dev.atrest.keyservice.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.crypto.KeyMaterial;
import java.security.SecureRandom;
import java.time.Instant;
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

    @Test
    void genesis_is32ZeroBytes() {
        assertThat(AuditChain.genesis()).hasSize(32).containsOnly(0);
    }
}
