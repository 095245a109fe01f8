package dev.atrest.keyservice.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Hkdf is HKDF-SHA256: its two steps against RFC 5869's own test vectors (Appendix A, the SHA-256 cases 1 to 3),
 * and {@link Hkdf#derive} against those two steps.
 */
class HkdfTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void extractAndExpand_rfc5869Case1_basic_matchesRfcVectors() {
        byte[] prk = Hkdf.extract(hex("000102030405060708090a0b0c"), hex("0b".repeat(22)));

        assertThat(HEX.formatHex(prk)).isEqualTo("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
        assertThat(HEX.formatHex(Hkdf.expand(prk, hex("f0f1f2f3f4f5f6f7f8f9"), 42))).isEqualTo(
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    }

    @Test
    void extractAndExpand_rfc5869Case2_longerInputsAndOutput_matchesRfcVectors() {
        byte[] prk = Hkdf.extract(counting(0x60, 80), counting(0x00, 80));

        assertThat(HEX.formatHex(prk)).isEqualTo("06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244");
        assertThat(HEX.formatHex(Hkdf.expand(prk, counting(0xb0, 80), 82))).isEqualTo(
                "b11e398dc80327a1c8e7f78c596a4934"
                        + "4f012eda2d4efad8a050cc4c19afa97c"
                        + "59045a99cac7827271cb41c65e590e09"
                        + "da3275600c2f09b8367793a9aca3db71"
                        + "cc30c58179ec3e87c14c01d5c1f3434f"
                        + "1d87");
    }

    @Test
    void extractAndExpand_rfc5869Case3_emptySaltAndInfo_matchesRfcVectors() {
        // An empty salt is HashLen zero bytes (RFC 5869 2.2), the salt derive uses.
        byte[] prk = Hkdf.extract(new byte[32], hex("0b".repeat(22)));

        assertThat(HEX.formatHex(prk)).isEqualTo("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04");
        assertThat(HEX.formatHex(Hkdf.expand(prk, new byte[0], 42))).isEqualTo(
                "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    }

    @Test
    void derive_anyPurpose_isHkdfWithoutSaltOf32Bytes() {
        byte[] ikm = counting(0x00, 32);
        byte[] info = "atrest audit log v1".getBytes(StandardCharsets.UTF_8);
        try (KeyMaterial inputKey = KeyMaterial.copyOf(ikm);
             KeyMaterial derived = Hkdf.derive(inputKey, "atrest audit log v1")) {
            assertThat(derived.copyBytes()).isEqualTo(Hkdf.expand(Hkdf.extract(new byte[32], ikm), info, 32));
        }
    }

    @Test
    void derive_otherPurpose_otherKey() {
        try (KeyMaterial ikm = KeyMaterial.copyOf(counting(0x00, 32));
             KeyMaterial audit = Hkdf.derive(ikm, "atrest audit log v1");
             KeyMaterial other = Hkdf.derive(ikm, "atrest audit log v2")) {
            assertThat(audit.copyBytes()).isNotEqualTo(other.copyBytes()).isNotEqualTo(counting(0x00, 32));
        }
    }

    private static byte[] hex(String hex) {
        return HEX.parseHex(hex);
    }

    /** {@code length} bytes counting up from {@code first}, as RFC 5869's case 2 writes its inputs. */
    private static byte[] counting(int first, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (first + i);
        }
        return bytes;
    }
}
