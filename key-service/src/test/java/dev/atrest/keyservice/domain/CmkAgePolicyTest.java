package dev.atrest.keyservice.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CmkAgePolicyTest {
    private static final Instant CHANGED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Clock AT_CHANGE = Clock.fixed(CHANGED, ZoneOffset.UTC);

    private static Instant after(Duration elapsed) {
        return Instant.now(Clock.offset(AT_CHANGE, elapsed));
    }

    @Test
    void default_is365Days() {
        assertThat(CmkAgePolicy.DEFAULT.alertDays()).isEqualTo(365);
    }

    @Test
    void isOverdue_exactly365Days_notOverdue() {
        assertThat(CmkAgePolicy.DEFAULT.isOverdue(CHANGED, after(Duration.ofDays(365)))).isFalse();
    }

    @Test
    void isOverdue_oneMillisecondPast365Days_overdue() {
        assertThat(CmkAgePolicy.DEFAULT.isOverdue(CHANGED, after(Duration.ofDays(365).plusMillis(1)))).isTrue();
    }

    @Test
    void isOverdue_cmkChangedSince_notOverdue() {
        Instant now = after(Duration.ofDays(400));
        Instant changedAgain = after(Duration.ofDays(399));

        assertThat(CmkAgePolicy.DEFAULT.isOverdue(CHANGED, now)).isTrue();
        assertThat(CmkAgePolicy.DEFAULT.isOverdue(changedAgain, now)).isFalse();
    }

    @Test
    void isOverdue_neverHadACmk_notOverdue() {
        assertThat(CmkAgePolicy.DEFAULT.isOverdue(null, after(Duration.ofDays(10_000)))).isFalse();
    }

    @Test
    void isOverdue_configuredThreshold_used() {
        CmkAgePolicy thirty = new CmkAgePolicy(30);

        assertThat(thirty.isOverdue(CHANGED, after(Duration.ofDays(31)))).isTrue();
        assertThat(thirty.overdueAfter(CHANGED)).isEqualTo(Instant.parse("2026-01-31T00:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -365})
    void constructor_belowOneDay_violationNamesField(int days) {
        assertThatThrownBy(() -> new CmkAgePolicy(days))
                .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.violations())
                        .extracting(FieldViolation::field).containsExactly("cmk_rotation_alert_days"));
    }

    @Test
    void check_prefixedField_collectsViolation() {
        Violations violations = new Violations();

        CmkAgePolicy.check(violations, "project_encryption.cmk_rotation_alert_days", 0);

        assertThat(violations.isEmpty()).isFalse();
    }
}
