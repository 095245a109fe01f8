package dev.atrest.keyservice.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.atrest.keyservice.domain.AlertChanges.ProjectValidity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertDecisionsTest {
    private static final String PROJECT = "p1";
    private static final Instant CMK_CHANGED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Clock START = Clock.fixed(CMK_CHANGED, ZoneOffset.UTC);
    private static final Instant DAY_10 = at(Duration.ofDays(10));
    private static final ValidationOutcome INVALID = ValidationOutcome.invalid("DisabledException: key is disabled");
    private static final ValidationOutcome UNREACHABLE = ValidationOutcome.unreachable("connect timed out");

    private static Instant at(Duration elapsed) {
        return Instant.now(Clock.offset(START, elapsed));
    }

    private static AlertChanges decide(List<Alert> alerts, ValidationOutcome outcome, Instant now) {
        return AlertDecisions.decide(PROJECT, alerts, outcome, CMK_CHANGED, CmkAgePolicy.DEFAULT, now);
    }

    /** The alerts as a store holds them after applying {@code changes}: closed ones replace their open selves. */
    private static List<Alert> stored(List<Alert> before, AlertChanges changes) {
        List<Alert> after = new ArrayList<>(before);
        for (Alert closed : changes.toClose()) {
            after.removeIf(a -> a.isOpen() && a.type() == closed.type() && a.openedTime().equals(closed.openedTime()));
            after.add(closed);
        }
        after.addAll(changes.toOpen());
        return after;
    }

    @Test
    void decide_validAndYoungCmk_nothingToDo() {
        AlertChanges changes = decide(List.of(), ValidationOutcome.valid(), DAY_10);

        assertThat(changes.alertsUnchanged()).isTrue();
        assertThat(changes.validity()).isEqualTo(ProjectValidity.VALID);
    }

    @Test
    void decide_invalid_opensKeyInvalidAndLocksOut() {
        AlertChanges changes = decide(List.of(), INVALID, DAY_10);

        assertThat(changes.toOpen()).containsExactly(new Alert(AlertType.KEY_INVALID, PROJECT, DAY_10, null,
                "the CMK cannot be used: DisabledException: key is disabled"));
        assertThat(changes.toClose()).isEmpty();
        assertThat(changes.validity()).isEqualTo(ProjectValidity.INVALID);
    }

    @Test
    void decide_invalidTwice_opensNothingNew() {
        List<Alert> afterFirst = decide(List.of(), INVALID, DAY_10).toOpen();

        AlertChanges second = decide(afterFirst, INVALID, DAY_10.plusSeconds(900));

        assertThat(second.alertsUnchanged()).isTrue();
        assertThat(second.validity()).isEqualTo(ProjectValidity.INVALID);
    }

    @Test
    void decide_unreachable_opensOnlyKmsUnreachableNoLockOut() {
        AlertChanges changes = decide(List.of(), UNREACHABLE, DAY_10);

        assertThat(changes.toOpen()).extracting(Alert::type).containsExactly(AlertType.KMS_UNREACHABLE);
        assertThat(changes.toOpen().get(0).detail()).contains("connect timed out");
        assertThat(changes.validity()).isEqualTo(ProjectValidity.UNCHANGED);
    }

    @Test
    void decide_unreachableTwice_opensNothingNew() {
        List<Alert> afterFirst = decide(List.of(), UNREACHABLE, DAY_10).toOpen();

        assertThat(decide(afterFirst, UNREACHABLE, DAY_10.plusSeconds(900)).alertsUnchanged()).isTrue();
    }

    @Test
    void decide_unreachableWhileInvalid_keyInvalidStaysOpen() {
        Alert keyInvalid = Alert.open(AlertType.KEY_INVALID, PROJECT, DAY_10, "disabled");

        AlertChanges changes = decide(List.of(keyInvalid), UNREACHABLE, DAY_10.plusSeconds(900));

        assertThat(changes.toClose()).isEmpty();
        assertThat(changes.toOpen()).extracting(Alert::type).containsExactly(AlertType.KMS_UNREACHABLE);
        assertThat(changes.validity()).isEqualTo(ProjectValidity.UNCHANGED);
    }

    @Test
    void decide_invalidAfterUnreachable_closesUnreachableOpensInvalid() {
        Alert unreachable = Alert.open(AlertType.KMS_UNREACHABLE, PROJECT, DAY_10, "timeout");
        Instant later = DAY_10.plusSeconds(900);

        AlertChanges changes = decide(List.of(unreachable), INVALID, later);

        assertThat(changes.toClose()).containsExactly(unreachable.closedAt(later));
        assertThat(changes.toOpen()).extracting(Alert::type).containsExactly(AlertType.KEY_INVALID);
    }

    @Test
    void decide_validAfterInvalidAndUnreachable_closesBothAndRestoresAccess() {
        Alert keyInvalid = Alert.open(AlertType.KEY_INVALID, PROJECT, DAY_10, "disabled");
        Alert unreachable = Alert.open(AlertType.KMS_UNREACHABLE, PROJECT, DAY_10.plusSeconds(900), "timeout");
        Instant later = DAY_10.plusSeconds(1800);

        AlertChanges changes = decide(List.of(keyInvalid, unreachable), ValidationOutcome.valid(), later);

        assertThat(changes.toOpen()).isEmpty();
        assertThat(changes.toClose()).containsExactlyInAnyOrder(keyInvalid.closedAt(later), unreachable.closedAt(later));
        assertThat(changes.toClose()).allSatisfy(a -> assertThat(a.closedTime()).isEqualTo(later));
        assertThat(changes.validity()).isEqualTo(ProjectValidity.VALID);
    }

    @Test
    void decide_closedAlertsInHistory_ignored() {
        Alert old = Alert.open(AlertType.KEY_INVALID, PROJECT, CMK_CHANGED, "disabled").closedAt(DAY_10);

        AlertChanges changes = decide(List.of(old), INVALID, DAY_10.plusSeconds(60));

        assertThat(changes.toClose()).isEmpty();
        assertThat(changes.toOpen()).extracting(Alert::type).containsExactly(AlertType.KEY_INVALID);
    }

    @Test
    void decide_duplicateOpenAlerts_keepsOldestClosesRest() {
        Alert oldest = Alert.open(AlertType.KMS_UNREACHABLE, PROJECT, DAY_10, "timeout");
        Alert duplicate = Alert.open(AlertType.KMS_UNREACHABLE, PROJECT, DAY_10.plusMillis(3), "timeout");
        Instant later = DAY_10.plusSeconds(900);

        AlertChanges changes = decide(List.of(duplicate, oldest), UNREACHABLE, later);

        assertThat(changes.toOpen()).isEmpty();
        assertThat(changes.toClose()).containsExactly(duplicate.closedAt(later));
    }

    @Test
    void decide_cmkOlderThan365Days_opensOverdueOnce() {
        Instant day366 = at(Duration.ofDays(365).plusMillis(1));

        AlertChanges first = decide(List.of(), ValidationOutcome.valid(), day366);
        AlertChanges second = decide(first.toOpen(), ValidationOutcome.valid(), day366.plusSeconds(900));

        assertThat(first.toOpen()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AlertType.CMK_ROTATION_OVERDUE);
            assertThat(a.openedTime()).isEqualTo(day366);
            assertThat(a.detail()).contains("365 days");
        });
        assertThat(second.alertsUnchanged()).isTrue();
    }

    @Test
    void decide_cmkExactly365DaysOld_noAlert() {
        assertThat(decide(List.of(), ValidationOutcome.valid(), at(Duration.ofDays(365))).alertsUnchanged()).isTrue();
    }

    @Test
    void decide_cmkChanged_closesOverdue() {
        Instant day400 = at(Duration.ofDays(400));
        Alert overdue = Alert.open(AlertType.CMK_ROTATION_OVERDUE, PROJECT, at(Duration.ofDays(366)), "old");

        AlertChanges changes = AlertDecisions.decide(PROJECT, List.of(overdue), ValidationOutcome.valid(),
                day400.minusSeconds(60), CmkAgePolicy.DEFAULT, day400);

        assertThat(changes.toClose()).containsExactly(overdue.closedAt(day400));
        assertThat(changes.toOpen()).isEmpty();
    }

    @Test
    void decide_overdueWhileUnreachable_bothOpen() {
        AlertChanges changes = decide(List.of(), UNREACHABLE, at(Duration.ofDays(366)));

        assertThat(changes.toOpen()).extracting(Alert::type)
                .containsExactlyInAnyOrder(AlertType.KMS_UNREACHABLE, AlertType.CMK_ROTATION_OVERDUE);
    }

    @Test
    void decide_configuredThreshold_used() {
        AlertChanges changes = AlertDecisions.decide(PROJECT, List.of(), ValidationOutcome.valid(), CMK_CHANGED,
                new CmkAgePolicy(7), at(Duration.ofDays(8)));

        assertThat(changes.toOpen()).extracting(Alert::type).containsExactly(AlertType.CMK_ROTATION_OVERDUE);
    }

    @Test
    void decide_projectNeverHadCmk_noOverdue() {
        AlertChanges changes = AlertDecisions.decide(PROJECT, List.of(), ValidationOutcome.valid(), null,
                CmkAgePolicy.DEFAULT, at(Duration.ofDays(5000)));

        assertThat(changes.alertsUnchanged()).isTrue();
    }

    @Test
    void decide_alertOfAnotherProject_refused() {
        Alert foreign = Alert.open(AlertType.KEY_INVALID, "p2", DAY_10, "disabled");

        assertThatThrownBy(() -> decide(List.of(foreign), INVALID, DAY_10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void forDisabledProject_closesEveryOpenAlert() {
        Alert keyInvalid = Alert.open(AlertType.KEY_INVALID, PROJECT, DAY_10, "disabled");
        Alert overdue = Alert.open(AlertType.CMK_ROTATION_OVERDUE, PROJECT, DAY_10, "old");
        Instant later = DAY_10.plusSeconds(60);

        AlertChanges changes = AlertDecisions.forDisabledProject(PROJECT, List.of(keyInvalid, overdue), later);

        assertThat(changes.toClose()).containsExactlyInAnyOrder(keyInvalid.closedAt(later), overdue.closedAt(later));
        assertThat(changes.toOpen()).isEmpty();
        assertThat(changes.validity()).isEqualTo(ProjectValidity.UNCHANGED);
    }

    @Test
    void decide_checksEvery15MinutesForAYear_atMostOneOpenPerTypeAndHistoryKept() {
        List<ValidationOutcome> cycle = List.of(ValidationOutcome.valid(), UNREACHABLE, UNREACHABLE, INVALID,
                INVALID, UNREACHABLE, ValidationOutcome.valid(), ValidationOutcome.valid());
        List<Alert> open = new ArrayList<>(); // as the service reads them: open alerts only
        List<Alert> closed = new ArrayList<>();
        Instant now = CMK_CHANGED;
        for (int check = 0; check < 4 * 24 * 370; check++) {
            now = now.plus(Duration.ofMinutes(15));
            AlertChanges changes = decide(open, cycle.get((check / 4) % cycle.size()), now);
            open = stored(open, changes);
            open.removeIf(a -> !a.isOpen());
            closed.addAll(changes.toClose());
            if (open.stream().map(Alert::type).distinct().count() != open.size()) {
                fail("check " + check + ": two open alerts of one type: " + open);
            }
        }

        assertThat(open).extracting(Alert::type).containsExactly(AlertType.CMK_ROTATION_OVERDUE);
        assertThat(closed).filteredOn(a -> a.type() == AlertType.KEY_INVALID).hasSize(370 * 3);
    }

    @Test
    void alert_closedAtTwice_keepsFirstClosingTime() {
        Alert alert = Alert.open(AlertType.KEY_INVALID, PROJECT, DAY_10, "disabled");
        Alert closed = alert.closedAt(DAY_10.plusSeconds(1));

        assertThat(closed.closedAt(DAY_10.plusSeconds(2))).isEqualTo(closed);
        assertThat(closed.isOpen()).isFalse();
    }

    @Test
    void alert_closedBeforeOpened_refused() {
        assertThatThrownBy(() -> new Alert(AlertType.KEY_INVALID, PROJECT, DAY_10, DAY_10.minusMillis(1), "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
