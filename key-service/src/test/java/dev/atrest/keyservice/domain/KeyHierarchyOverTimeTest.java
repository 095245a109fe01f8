package dev.atrest.keyservice.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.domain.AlertChanges.ProjectValidity;
import dev.atrest.keyservice.domain.PreconditionFailedException.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Two years of one cluster, driven by a fake clock one day at a time: 90-day rotations (checked twice a
 * day, as two replicas would), a destroy job that minds snapshots, the 365-day CMK alert, and a lock-out.
 * This is the sequence the service's jobs will run; here it runs in milliseconds.
 */
class KeyHierarchyOverTimeTest {
    private static final String PROJECT = "p1";
    private static final Clock START = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private KeyRing ring = new KeyRing(1, new TreeMap<>(Map.of(1, KeyState.ACTIVE)), new TreeMap<>(Map.of(
            new DatabaseKeyRef("orders", 1), 1, new DatabaseKeyRef("users", 1), 1)));
    private final Map<Integer, Instant> created = new HashMap<>(Map.of(1, Instant.now(START)));
    private final List<Snapshot> snapshots = new ArrayList<>();
    private final List<Alert> alerts = new ArrayList<>();
    private final List<Integer> rotationDays = new ArrayList<>();
    private Instant cmkLastChanged = Instant.now(START);
    private boolean projectValid = true;

    private Snapshot early;
    private Snapshot late;

    @Test
    void twoYears_daily_rotatesEvery91DaysKeepsWhatSnapshotsNeedAndAlertsOnCmkAge() {
        for (int day = 1; day <= 730; day++) {
            live(day, Instant.now(Clock.offset(START, Duration.ofDays(day))));
            assertThat(ring.violations()).as("day %d", day).isEmpty();
            assertThat(openAlert(AlertType.CMK_ROTATION_OVERDUE)).as("day %d", day).isEqualTo(day > 365 && day < 380);
            assertThat(openAlert(AlertType.KEY_INVALID)).as("day %d", day).isEqualTo(day == 500);
        }

        assertThat(rotationDays).containsExactly(91, 182, 273, 364, 455, 546, 637, 728);
        assertThat(ring.currentVersion()).isEqualTo(9);
        assertThat(ring.masterKeys()).containsEntry(1, KeyState.DESTROYED).containsEntry(2, KeyState.RETIRED)
                .containsEntry(3, KeyState.DESTROYED).containsEntry(8, KeyState.DESTROYED).containsEntry(9, KeyState.ACTIVE);
        assertThat(ring.wrappedBy()).hasSize(3).allSatisfy((key, version) -> assertThat(version).isEqualTo(9));
        assertThatCode(() -> SnapshotRestore.check(late, project(), clusterKeys())).doesNotThrowAnyException();
        assertRestoreRefused(early, "master_key:1");
        assertThat(alerts).filteredOn(a -> a.type() == AlertType.CMK_ROTATION_OVERDUE).singleElement()
                .satisfies(a -> assertThat(a.closedTime()).isEqualTo(Instant.now(Clock.offset(START, Duration.ofDays(380)))));
    }

    /** One day: the jobs (the due check twice, as two replicas would; destroy; CMK check) and the day's events. */
    private void live(int day, Instant now) {
        rotateIfDue(now, day);
        rotateIfDue(now, day);
        destroyWhatIsFree();
        switch (day) {
            case 10 -> early = snapshot("early", now); // pins master key 1
            case 100 -> late = snapshot("late", now); // pins master key 2
            case 150 -> ring = ring.withWrapping(new DatabaseKeyRef("events", 1), ring.currentVersion());
            case 200 -> {
                assertThatCode(() -> SnapshotRestore.check(early, project(), clusterKeys())).doesNotThrowAnyException();
                snapshots.remove(early);
            }
            case 380 -> cmkLastChanged = now; // the customer rotated the CMK
            default -> { }
        }
        check(day == 500 ? ValidationOutcome.invalid("DisabledException") : ValidationOutcome.valid(), now);
        if (day == 500) {
            assertRestoreRefused(late, "CMK is invalid");
        }
    }

    private void rotateIfDue(Instant now, int day) {
        if (!RotationPolicy.DEFAULT.isDue(created.get(ring.currentVersion()), now)) {
            return;
        }
        RotationPlan plan = RotationPlan.start(ring);
        ring = plan.applyTo(ring);
        created.put(plan.targetVersion(), now);
        rotationDays.add(day);
    }

    private void destroyWhatIsFree() {
        for (int version : ring.masterKeys().keySet()) {
            var use = ring.masterKeyUse(version, Snapshot.needingMasterKey(snapshots, PROJECT, "c1", version));
            if (KeyLifecycle.destroy(use).mayProceed()) {
                ring = ring.withMasterKey(version, KeyState.DESTROYED);
            }
        }
    }

    private Snapshot snapshot(String id, Instant now) {
        Map<String, Integer> databases = new TreeMap<>();
        ring.wrappedBy().keySet().forEach(key -> databases.put(key.databaseName(), key.version()));
        Snapshot snapshot = new Snapshot(id, PROJECT, "c1", ring.currentVersion(), databases, now);
        snapshots.add(snapshot);
        return snapshot;
    }

    private void check(ValidationOutcome outcome, Instant now) {
        AlertChanges changes = AlertDecisions.decide(PROJECT, alerts, outcome, cmkLastChanged, CmkAgePolicy.DEFAULT, now);
        for (Alert closed : changes.toClose()) {
            alerts.removeIf(a -> a.isOpen() && a.type() == closed.type() && a.openedTime().equals(closed.openedTime()));
            alerts.add(closed);
        }
        alerts.addAll(changes.toOpen());
        if (changes.validity() != ProjectValidity.UNCHANGED) {
            projectValid = changes.validity() == ProjectValidity.VALID;
        }
    }

    private boolean openAlert(AlertType type) {
        return alerts.stream().anyMatch(a -> a.isOpen() && a.type() == type);
    }

    private ProjectEncryption project() {
        return new ProjectEncryption(PROJECT, Optional.of(new LocalKeySettings("default")), true, projectValid,
                projectValid ? null : "DisabledException", cmkLastChanged, null, 1, Instant.now(START), cmkLastChanged,
                CmkAgePolicy.DEFAULT, Optional.empty(), 1);
    }

    private ClusterKeys clusterKeys() {
        List<MasterKeyVersion> masters = new ArrayList<>();
        ring.masterKeys().forEach((version, state) ->
                masters.add(new MasterKeyVersion(version, state, Provider.LOCAL, "local:default", created.get(version))));
        List<DatabaseKeyInfo> databases = new ArrayList<>();
        ring.wrappedBy().forEach((key, version) -> databases.add(
                new DatabaseKeyInfo(key.databaseName(), key.version(), version, KeyState.ACTIVE, Instant.now(START))));
        return new ClusterKeys(masters, databases);
    }

    private void assertRestoreRefused(Snapshot snapshot, String why) {
        assertThatThrownBy(() -> SnapshotRestore.check(snapshot, project(), clusterKeys()))
                .isInstanceOfSatisfying(PreconditionFailedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INVALID_SNAPSHOT_RESTORE_ENCRYPTION);
                    assertThat(e.getMessage()).contains(why);
                });
    }
}
