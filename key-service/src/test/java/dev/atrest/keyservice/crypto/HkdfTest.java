package dev.atrest.keyservice.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HkdfTest {
    private static byte[] counting32() {
        byte[] bytes = new byte[32];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    @Test
    void derive_knownInput_matchesIndependentHkdfSha256() {
        // Computed with Python's hmac module following RFC 5869 (no salt, L = 32), whose own test case 3
        // that code reproduces.
        try (KeyMaterial ikm = KeyMaterial.copyOf(counting32());
             KeyMaterial okm = Hkdf.derive(ikm, "atrest audit log v1")) {
            assertThat(HexFormat.of().formatHex(okm.copyBytes()))
                    .isEqualTo("449059d6975de3882d189cda739003c6782e25fcfd01b5972769bcf832e7a694");
        }
    }

    @Test
    void derive_otherPurpose_otherKey() {
        try (KeyMaterial ikm = KeyMaterial.copyOf(counting32());
             KeyMaterial audit = Hkdf.derive(ikm, "atrest audit log v1");
             KeyMaterial other = Hkdf.derive(ikm, "atrest audit log v2")) {
            assertThat(audit.copyBytes()).isNotEqualTo(other.copyBytes()).isNotEqualTo(counting32());
        }
    }
}
