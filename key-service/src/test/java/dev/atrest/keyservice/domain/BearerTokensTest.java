package dev.atrest.keyservice.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BearerTokensTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void newSecret_isPrefixedBase64UrlOf32BytesAndNeverRepeats() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String secret = BearerTokens.newSecret(random);
            assertThat(secret).startsWith("atrest_").hasSize(7 + 43).matches("atrest_[A-Za-z0-9_-]{43}");
            assertThat(BearerTokens.isWellFormed(secret)).isTrue();
            assertThat(seen.add(secret)).isTrue();
        }
    }

    @Test
    void isWellFormed_rejectsOtherShapes() {
        String good = BearerTokens.newSecret(random);

        assertThat(BearerTokens.isWellFormed(null)).isFalse();
        assertThat(BearerTokens.isWellFormed("")).isFalse();
        assertThat(BearerTokens.isWellFormed(good.substring(1))).isFalse();
        assertThat(BearerTokens.isWellFormed(good + "A")).isFalse();
        assertThat(BearerTokens.isWellFormed(good.substring(0, 49) + "=")).isFalse();
        assertThat(BearerTokens.isWellFormed("ATREST_" + good.substring(7))).isFalse();
    }

    @Test
    void sha256Hex_isTheStandardDigestInLowercaseHex() {
        // SHA-256("abc") from FIPS 180-2.
        assertThat(BearerTokens.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void newTokenId_revealsNothingOfTheSecret() {
        assertThat(BearerTokens.newTokenId(random)).matches("tok-[0-9a-f]{32}");
    }
}
