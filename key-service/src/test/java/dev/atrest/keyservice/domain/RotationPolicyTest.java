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

class RotationPolicyTest {
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Clock AT_CREATION = Clock.fixed(CREATED, ZoneOffset.UTC);

    private static Instant after(Duration elapsed) {
        return Instant.now(Clock.offset(AT_CREATION, elapsed));
    }

    @Test
    void default_is90Days() {
        assertThat(RotationPolicy.DEFAULT.periodDays()).isEqualTo(90);
        assertThat(RotationPolicy.DEFAULT.period()).isEqualTo(Duration.ofDays(90));
    }

    @Test
    void isDue_exactly90DaysOld_notDue() {
        assertThat(RotationPolicy.DEFAULT.isDue(CREATED, after(Duration.ofDays(90)))).isFalse();
    }

    @Test
    void isDue_oneMillisecondPast90Days_due() {
        assertThat(RotationPolicy.DEFAULT.isDue(CREATED, after(Duration.ofDays(90).plusMillis(1)))).isTrue();
    }

    @Test
    void isDue_freshKey_notDue() {
        assertThat(RotationPolicy.DEFAULT.isDue(CREATED, CREATED)).isFalse();
        assertThat(RotationPolicy.DEFAULT.isDue(CREATED, after(Duration.ofDays(89)))).isFalse();
    }

    @Test
    void isDue_keyFromTheFuture_notDue() {
        assertThat(RotationPolicy.DEFAULT.isDue(CREATED, after(Duration.ofDays(-1)))).isFalse();
    }

    @Test
    void isDue_askedTwice_sameAnswer() {
        Instant now = after(Duration.ofDays(91));
        RotationPolicy policy = new RotationPolicy(90);

        assertThat(policy.isDue(CREATED, now)).isTrue();
        assertThat(policy.isDue(CREATED, now)).isTrue();
    }

    @Test
    void isDue_oneDayPeriod_dueAfterADay() {
        RotationPolicy daily = new RotationPolicy(1);

        assertThat(daily.isDue(CREATED, after(Duration.ofHours(24)))).isFalse();
        assertThat(daily.isDue(CREATED, after(Duration.ofHours(24).plusMillis(1)))).isTrue();
    }

    @Test
    void nextRotationTime_isCreationPlusPeriod() {
        assertThat(new RotationPolicy(30).nextRotationTime(CREATED)).isEqualTo(Instant.parse("2026-01-31T00:00:00Z"));
    }

    @Test
    void nextRotationTime_largestPeriod_dueOnlyAfterTenYears() {
        RotationPolicy largest = new RotationPolicy(RotationPolicy.MAX_PERIOD_DAYS);

        assertThat(largest.isDue(CREATED, after(Duration.ofDays(3650)))).isFalse();
        assertThat(largest.isDue(CREATED, after(Duration.ofDays(3651)))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE, 3651, Integer.MAX_VALUE})
    void constructor_outsideOneToTenYears_violationNamesField(int days) {
        assertThatThrownBy(() -> new RotationPolicy(days))
                .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.violations())
                        .containsExactly(new FieldViolation("rotation_period_days", "must be between 1 and 3650 days")));
    }

    @Test
    void check_prefixedField_collectsViolation() {
        Violations violations = new Violations();

        RotationPolicy.check(violations, "cluster_encryption.rotation_period_days", 0);
        RotationPolicy.check(violations, "other", 1);

        assertThatThrownBy(violations::throwIfAny).isInstanceOfSatisfying(InvalidArgumentException.class,
                e -> assertThat(e.violations()).extracting(FieldViolation::field)
                        .containsExactly("cluster_encryption.rotation_period_days"));
    }
}
