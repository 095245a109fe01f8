package dev.atrest.keyservice.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecordLimitsTest {
    @Test
    void cut_shortText_unchanged() {
        assertThat(RecordLimits.cut("projects/p1", 64)).isEqualTo("projects/p1");
    }

    @Test
    void cut_longText_fitsAndIsMarked() {
        String cut = RecordLimits.cut("x".repeat(5000), RecordLimits.RESOURCE);

        assertThat(cut.codePointCount(0, cut.length())).isEqualTo(RecordLimits.RESOURCE);
        assertThat(cut).endsWith("…");
    }

    @Test
    void cut_neverSplitsACharacter() {
        String emoji = "\uD83D\uDD11"; // one code point, two chars

        String cut = RecordLimits.cut(emoji.repeat(10), 4);

        assertThat(cut).isEqualTo(emoji.repeat(3) + "…");
    }

    @Test
    void cut_moreCharsThanTheLimitButNotMoreCodePoints_unchanged() {
        String emoji = "\uD83D\uDD11"; // one code point, two chars

        assertThat(RecordLimits.cut(emoji.repeat(4), 4)).isEqualTo(emoji.repeat(4));
    }

    @Test
    void fit_everyFieldWithinItsColumn() {
        String huge = "y".repeat(3000);

        AuditEvent fitted = RecordLimits.fit(new AuditEvent(huge, huge, huge, huge, huge));

        assertThat(fitted.actor()).hasSize(RecordLimits.ACTOR);
        assertThat(fitted.action()).hasSize(RecordLimits.ACTION);
        assertThat(fitted.resource()).hasSize(RecordLimits.RESOURCE);
        assertThat(fitted.outcome()).hasSize(RecordLimits.OUTCOME);
        assertThat(fitted.detail()).hasSize(RecordLimits.DETAIL);
    }
}
