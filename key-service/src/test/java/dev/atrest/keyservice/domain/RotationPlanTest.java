package dev.atrest.keyservice.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.domain.RotationStep.CreateMasterKey;
import dev.atrest.keyservice.domain.RotationStep.FinishRotation;
import dev.atrest.keyservice.domain.RotationStep.RewrapDatabaseKey;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RotationPlanTest {
    private static final DatabaseKeyRef ORDERS = new DatabaseKeyRef("orders", 1);
    private static final DatabaseKeyRef USERS = new DatabaseKeyRef("users", 1);
    private static final KeyRing FRESH = ring(1, Map.of(1, KeyState.ACTIVE), Map.of(ORDERS, 1, USERS, 1));

    static KeyRing ring(int current, Map<Integer, KeyState> masters, Map<DatabaseKeyRef, Integer> wrapped) {
        return new KeyRing(current, new TreeMap<>(masters), new TreeMap<>(wrapped));
    }

    @Test
    void start_soundCluster_createsNextVersionRewrapsEachKeyThenFinishes() {
        RotationPlan plan = RotationPlan.start(FRESH);

        assertThat(plan.targetVersion()).isEqualTo(2);
        assertThat(plan.createsMasterKey()).isTrue();
        assertThat(plan.steps()).containsExactly(new CreateMasterKey(2), new RewrapDatabaseKey(ORDERS, 1, 2),
                new RewrapDatabaseKey(USERS, 1, 2), new FinishRotation(2));
        assertThat(plan.applyTo(FRESH)).isEqualTo(
                ring(2, Map.of(1, KeyState.RETIRED, 2, KeyState.ACTIVE), Map.of(ORDERS, 2, USERS, 2)));
    }

    @Test
    void start_noDatabaseKeys_createAndFinish() {
        RotationPlan plan = RotationPlan.start(ring(1, Map.of(1, KeyState.ACTIVE), Map.of()));

        assertThat(plan.steps()).containsExactly(new CreateMasterKey(2), new FinishRotation(2));
    }

    @Test
    void start_rotationUnfinished_finishesItWithoutANewVersion() {
        KeyRing crashed = new CreateMasterKey(2).applyTo(FRESH);

        RotationPlan plan = RotationPlan.start(crashed);

        assertThat(plan.createsMasterKey()).isFalse();
        assertThat(plan.targetVersion()).isEqualTo(2);
        assertThat(plan.steps()).hasSize(3);
    }

    @Test
    void start_afterDestroyedTopVersion_skipsItsNumber() {
        KeyRing ring = ring(2, Map.of(2, KeyState.ACTIVE, 3, KeyState.DESTROYED), Map.of(ORDERS, 2));

        assertThat(RotationPlan.start(ring).targetVersion()).isEqualTo(4);
    }

    @Test
    void start_clusterWithoutMasterKey_refused() {
        assertThatThrownBy(() -> RotationPlan.start(ring(0, Map.of(), Map.of())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no master key");
    }

    @Test
    void start_inconsistentHierarchy_refused() {
        KeyRing broken = ring(2, Map.of(1, KeyState.DESTROYED, 2, KeyState.ACTIVE), Map.of(ORDERS, 1));

        assertThatThrownBy(() -> RotationPlan.start(broken))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("orders:1");
    }

    @Test
    void resume_beforeCreateCommitted_createsTheTarget() {
        assertThat(RotationPlan.resume(FRESH, 2).steps()).isEqualTo(RotationPlan.start(FRESH).steps());
    }

    @Test
    void resume_afterOneRewrap_onlyTheRestIsLeft() {
        KeyRing stopped = new RewrapDatabaseKey(ORDERS, 1, 2).applyTo(new CreateMasterKey(2).applyTo(FRESH));

        assertThat(RotationPlan.resume(stopped, 2).steps())
                .containsExactly(new RewrapDatabaseKey(USERS, 1, 2), new FinishRotation(2));
    }

    @Test
    void resume_targetNeitherStoredNorNext_refused() {
        assertThatThrownBy(() -> RotationPlan.resume(FRESH, 5)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void resume_targetSupersededByLaterVersion_rewrapsToCurrent() {
        KeyRing ring = ring(3, Map.of(1, KeyState.RETIRED, 2, KeyState.RETIRED, 3, KeyState.ACTIVE),
                Map.of(ORDERS, 1, USERS, 2));

        RotationPlan plan = RotationPlan.resume(ring, 2);

        assertThat(plan.targetVersion()).isEqualTo(3);
        assertThat(plan.steps()).containsExactly(new RewrapDatabaseKey(ORDERS, 1, 3),
                new RewrapDatabaseKey(USERS, 2, 3), new FinishRotation(3));
    }

    @Test
    void createMasterKey_replayed_changesNothing() {
        KeyRing once = new CreateMasterKey(2).applyTo(FRESH);

        assertThat(new CreateMasterKey(2).applyTo(once)).isEqualTo(once);
    }

    @Test
    void createMasterKey_notTheNextVersion_refused() {
        assertThatThrownBy(() -> new CreateMasterKey(3).applyTo(FRESH)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new CreateMasterKey(1).applyTo(FRESH.withMasterKey(1, KeyState.RETIRED)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void createMasterKey_retiresEveryOtherActiveVersion() {
        KeyRing twoActive = ring(2, Map.of(1, KeyState.ACTIVE, 2, KeyState.ACTIVE), Map.of());

        assertThat(new CreateMasterKey(3).applyTo(twoActive).masterKeys()).containsExactly(
                Map.entry(1, KeyState.RETIRED), Map.entry(2, KeyState.RETIRED), Map.entry(3, KeyState.ACTIVE));
    }

    @Test
    void rewrap_replayedOrKeyDestroyed_changesNothing() {
        KeyRing created = new CreateMasterKey(2).applyTo(FRESH);
        KeyRing once = new RewrapDatabaseKey(ORDERS, 1, 2).applyTo(created);

        assertThat(new RewrapDatabaseKey(ORDERS, 1, 2).applyTo(once)).isEqualTo(once);
        assertThat(new RewrapDatabaseKey(new DatabaseKeyRef("gone", 1), 1, 2).applyTo(once)).isEqualTo(once);
    }

    @Test
    void rewrap_keyMovedByAnotherWriter_refused() {
        KeyRing ring = ring(3, Map.of(1, KeyState.RETIRED, 2, KeyState.RETIRED, 3, KeyState.ACTIVE), Map.of(ORDERS, 2));

        assertThatThrownBy(() -> new RewrapDatabaseKey(ORDERS, 1, 3).applyTo(ring))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("wrapped by master-key version 2, not 1");
    }

    @Test
    void rewrap_underRetiredVersion_refused() {
        KeyRing ring = ring(2, Map.of(1, KeyState.RETIRED, 2, KeyState.ACTIVE), Map.of(ORDERS, 2));

        assertThatThrownBy(() -> new RewrapDatabaseKey(ORDERS, 2, 1).applyTo(ring)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void finish_keyCreatedUnderOldVersionMidRotation_refusedThenResumeCompletes() {
        RotationPlan plan = RotationPlan.start(FRESH);
        KeyRing ring = FRESH;
        for (RotationStep step : plan.steps().subList(0, plan.steps().size() - 1)) {
            ring = step.applyTo(ring);
        }
        // A writer that read the cluster's version before the create step committed.
        KeyRing raced = ring.withWrapping(new DatabaseKeyRef("late", 1), 1);

        assertThatThrownBy(() -> new FinishRotation(2).applyTo(raced))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("1 database keys");
        assertThat(RotationPlan.resume(raced, 2).applyTo(raced).rotationUnfinished()).isFalse();
    }

    @Test
    void progress_countsRewrappedKeysFromTheStoredRing() {
        KeyRing created = new CreateMasterKey(2).applyTo(FRESH);
        KeyRing half = new RewrapDatabaseKey(ORDERS, 1, 2).applyTo(created);

        assertThat(RotationProgress.of(FRESH, 2)).isEqualTo(new RotationProgress(2, false, 0, 2));
        assertThat(RotationProgress.of(created, 2).finished()).isFalse();
        assertThat(RotationProgress.of(half, 2)).isEqualTo(new RotationProgress(2, true, 1, 2));
        assertThat(RotationProgress.of(RotationPlan.start(FRESH).applyTo(FRESH), 2).finished()).isTrue();
    }

    @Test
    void progress_noDatabaseKeys_finishedOnceCreated() {
        KeyRing empty = ring(1, Map.of(1, KeyState.ACTIVE), Map.of());

        assertThat(RotationProgress.of(empty, 2).finished()).isFalse();
        assertThat(RotationProgress.of(new CreateMasterKey(2).applyTo(empty), 2).finished()).isTrue();
    }
}
