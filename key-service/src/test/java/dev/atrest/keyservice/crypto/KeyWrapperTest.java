package dev.atrest.keyservice.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyWrapperTest {
    private final SecureRandom random = new SecureRandom();
    private final KeyWrapper wrapper = new KeyWrapper(random);
    private final KeyMaterial kek = KeyMaterial.generate(random);

    @Test
    void unwrapKey_sameKeyAndAad_returnsTheKey() {
        KeyMaterial key = KeyMaterial.generate(random);
        byte[] aad = Aad.forDatabaseKey("p1", "c1", "orders", 1, 1);

        byte[] wrapped = wrapper.wrapKey(kek, key, aad);

        assertThat(wrapper.unwrapKey(kek, wrapped, aad).copyBytes()).isEqualTo(key.copyBytes());
        assertThat(wrapped).hasSize(1 + 12 + 32 + 16);
    }

    @Test
    void unwrapKey_copiedToAnotherCluster_fails() {
        byte[] wrapped = wrapper.wrapKey(kek, KeyMaterial.generate(random), Aad.forDatabaseKey("p1", "c1", "orders", 1, 1));

        assertThatThrownBy(() -> wrapper.unwrapKey(kek, wrapped, Aad.forDatabaseKey("p1", "c2", "orders", 1, 1)))
                .isInstanceOf(UnwrapException.class);
    }

    @Test
    void unwrapKey_copiedToAnotherDatabaseOrVersion_fails() {
        byte[] wrapped = wrapper.wrapKey(kek, KeyMaterial.generate(random), Aad.forDatabaseKey("p1", "c1", "orders", 1, 1));

        assertThatThrownBy(() -> wrapper.unwrapKey(kek, wrapped, Aad.forDatabaseKey("p1", "c1", "payments", 1, 1)))
                .isInstanceOf(UnwrapException.class);
        assertThatThrownBy(() -> wrapper.unwrapKey(kek, wrapped, Aad.forDatabaseKey("p1", "c1", "orders", 2, 1)))
                .isInstanceOf(UnwrapException.class);
        assertThatThrownBy(() -> wrapper.unwrapKey(kek, wrapped, Aad.forDatabaseKey("p1", "c1", "orders", 1, 2)))
                .isInstanceOf(UnwrapException.class);
    }

    @Test
    void unwrapKey_otherWrappingKey_fails() {
        byte[] aad = Aad.forDatabaseKey("p1", "c1", "orders", 1, 1);
        byte[] wrapped = wrapper.wrapKey(kek, KeyMaterial.generate(random), aad);

        assertThatThrownBy(() -> wrapper.unwrapKey(KeyMaterial.generate(random), wrapped, aad))
                .isInstanceOf(UnwrapException.class);
    }

    @Test
    void unwrap_anyFlippedBit_fails() {
        byte[] aad = Aad.of("test");
        byte[] wrapped = wrapper.wrapKey(kek, KeyMaterial.generate(random), aad);
        for (int i = 1; i < wrapped.length; i++) {
            byte[] tampered = wrapped.clone();
            tampered[i] ^= 0x01;
            assertThatThrownBy(() -> wrapper.unwrap(kek, tampered, aad)).isInstanceOf(UnwrapException.class);
        }
    }

    @Test
    void unwrap_truncatedOrUnknownFormat_failsWithoutLeakingDetails() {
        assertThatThrownBy(() -> wrapper.unwrap(kek, new byte[5], Aad.of("x"))).isInstanceOf(UnwrapException.class)
                .hasMessage("wrapped key is malformed");
        byte[] wrapped = wrapper.wrapKey(kek, KeyMaterial.generate(random), Aad.of("x"));
        wrapped[0] = 0x02;
        assertThatThrownBy(() -> wrapper.unwrap(kek, wrapped, Aad.of("x"))).isInstanceOf(UnwrapException.class);
    }

    @Test
    void wrap_manyTimes_neverRepeatsANonce() {
        KeyMaterial key = KeyMaterial.generate(random);
        Set<ByteBuffer> nonces = new HashSet<>();
        int wraps = 200_000;
        for (int i = 0; i < wraps; i++) {
            byte[] wrapped = wrapper.wrapKey(kek, key, Aad.of("nonce-test"));
            nonces.add(ByteBuffer.wrap(wrapped, 1, 12).slice());
        }
        assertThat(nonces).hasSize(wraps);
    }

    @Test
    void aad_fieldBoundaries_cannotCollide() {
        assertThat(Aad.of("p", "ab", "c")).isNotEqualTo(Aad.of("p", "a", "bc"));
        assertThat(Aad.forDatabaseKey("p", "c", "d", 1, 12)).isNotEqualTo(Aad.forDatabaseKey("p", "c", "d", 11, 2));
    }

    @Test
    void keyMaterial_closed_isZeroedAndUnusable() {
        KeyMaterial key = KeyMaterial.generate(random);
        key.close();

        assertThatThrownBy(key::copyBytes).isInstanceOf(IllegalStateException.class);
        assertThat(key.toString()).isEqualTo("KeyMaterial[redacted]");
    }
}
