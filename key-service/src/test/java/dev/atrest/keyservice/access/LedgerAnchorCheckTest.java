package dev.atrest.keyservice.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.audit.ChainAnchor;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LedgerAnchorCheckTest {
    private static final Instant TIME = Instant.parse("2026-12-07T12:00:00Z");
    private static final byte[] MAC_5 = mac(5);
    private static final ChainAnchor ANCHORED_5 = new ChainAnchor(LedgerAnchorCheck.CHAIN, 5, MAC_5, TIME);

    @Test
    void contradiction_headBehindTheAnchor_rollback() {
        assertThat(LedgerAnchorCheck.contradiction(new LedgerHead(4, mac(4)), ANCHORED_5, Optional.empty()))
                .hasValueSatisfying(problem -> assertThat(problem).contains("ends at entry 4 but entry 5 was anchored")
                        .contains("rolled back"));
    }

    @Test
    void contradiction_headAtTheAnchorWithItsMac_none() {
        assertThat(LedgerAnchorCheck.contradiction(new LedgerHead(5, MAC_5), ANCHORED_5, Optional.empty())).isEmpty();
    }

    @Test
    void contradiction_headAtTheAnchorWithAnotherMac_rewritten() {
        assertThat(LedgerAnchorCheck.contradiction(new LedgerHead(5, mac(55)), ANCHORED_5, Optional.of(MAC_5)))
                .hasValueSatisfying(problem -> assertThat(problem).contains("entry 5 differs from the one anchored"));
    }

    @Test
    void contradiction_headBeyondAndAnchoredEntryUnchanged_none() {
        assertThat(LedgerAnchorCheck.contradiction(new LedgerHead(7, mac(7)), ANCHORED_5, Optional.of(MAC_5)))
                .isEmpty();
    }

    @Test
    void contradiction_headBeyondAndAnchoredEntryChanged_rewritten() {
        assertThat(LedgerAnchorCheck.contradiction(new LedgerHead(7, mac(7)), ANCHORED_5, Optional.of(mac(55))))
                .hasValueSatisfying(problem -> assertThat(problem).contains("entry 5 differs"));
    }

    @Test
    void contradiction_headBeyondAndAnchoredEntryGone_missing() {
        assertThat(LedgerAnchorCheck.contradiction(new LedgerHead(7, mac(7)), ANCHORED_5, Optional.empty()))
                .hasValueSatisfying(problem -> assertThat(problem).contains("entry 5").contains("is missing"));
    }

    @Test
    void advances_onlyAHeadBeyondTheNewestAnchorOrAFirstNonEmptyOne() {
        assertThat(LedgerAnchorCheck.advances(new LedgerHead(0, mac(0)), Optional.empty())).as("empty").isFalse();
        assertThat(LedgerAnchorCheck.advances(new LedgerHead(1, mac(1)), Optional.empty())).as("first").isTrue();
        assertThat(LedgerAnchorCheck.advances(new LedgerHead(5, MAC_5), Optional.of(ANCHORED_5))).as("same").isFalse();
        assertThat(LedgerAnchorCheck.advances(new LedgerHead(6, mac(6)), Optional.of(ANCHORED_5))).as("next").isTrue();
    }

    private static byte[] mac(int seed) {
        byte[] mac = new byte[32];
        Arrays.fill(mac, (byte) seed);
        return mac;
    }
}
