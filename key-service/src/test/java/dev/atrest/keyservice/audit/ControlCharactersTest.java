package dev.atrest.keyservice.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ControlCharactersTest {

    @Test
    void escape_plainText_sameInstance() {
        String plain = "projects/p1/clusters/c1 — ünïcode 日本 \uD83D\uDD11";

        assertThat(ControlCharacters.escape(plain)).isSameAs(plain);
    }

    @Test
    void escape_terminalControls_visibleEscapes() {
        assertThat(ControlCharacters.escape("a\u001b[2K\rOK\u0007\nb\tc\u0000d\u007fe\u009bf"))
                .isEqualTo("a\\x1b[2K\\rOK\\x07\\nb\\tc\\x00d\\x7fe\\x9bf");
    }

    @Test
    void escape_bidiOverridesAndSeparators_escaped() {
        assertThat(ControlCharacters.escape("x\u202Ey\u2066z\u200F\u061C\u2028\u2029"))
                .isEqualTo("x\\u{202e}y\\u{2066}z\\u{200f}\\u{61c}\\u{2028}\\u{2029}");
    }

    @Test
    void escape_backslash_doubledSoLiteralEscapesStayDistinct() {
        assertThat(ControlCharacters.escape("\\x1b")).isEqualTo("\\\\x1b");
        assertThat(ControlCharacters.escape("\u001b")).isEqualTo("\\x1b");
    }

    @Test
    void escape_unpairedSurrogate_escapedPairKept() {
        assertThat(ControlCharacters.escape("a\uD800b\uD83D\uDD11")).isEqualTo("a\\u{d800}b\uD83D\uDD11");
    }

    @Test
    void fit_everyField_escapedThenCut() {
        AuditEvent event = RecordLimits.fit(new AuditEvent("token:\u001b", "x\ny", "projects/\u202e" + "p".repeat(600),
                "OK\u0007", "d\r"));

        assertThat(event.actor()).isEqualTo("token:\\x1b");
        assertThat(event.action()).isEqualTo("x\\ny");
        assertThat(event.resource()).startsWith("projects/\\u{202e}p").hasSize(RecordLimits.RESOURCE);
        assertThat(event.outcome()).isEqualTo("OK\\x07");
        assertThat(event.detail()).isEqualTo("d\\r");
    }
}
