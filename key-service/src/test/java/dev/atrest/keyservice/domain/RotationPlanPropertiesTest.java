package dev.atrest.keyservice.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Property-style loops over seeded random hierarchies: a failure message names the seed, so it can be
 * replayed by running that seed alone.
 */
class RotationPlanPropertiesTest {
    private static final int SEEDS = 200;

    /** A sound ring: older versions retired or destroyed, keys wrapped by any version that still unwraps. */
    static KeyRing randomRing(Random random) {
        int current = 1 + random.nextInt(5);
        SortedMap<Integer, KeyState> masters = new TreeMap<>();
        List<Integer> usable = new ArrayList<>(List.of(current));
        for (int version = 1; version < current; version++) {
            boolean destroyed = random.nextInt(3) == 0;
            masters.put(version, destroyed ? KeyState.DESTROYED : KeyState.RETIRED);
            if (!destroyed) {
                usable.add(version);
            }
        }
        masters.put(current, KeyState.ACTIVE);
        SortedMap<DatabaseKeyRef, Integer> wrapped = new TreeMap<>();
        for (int database = random.nextInt(15); database > 0; database--) {
            for (int version = 1 + random.nextInt(2); version > 0; version--) {
                wrapped.put(new DatabaseKeyRef("db" + database, version), usable.get(random.nextInt(usable.size())));
            }
        }
        return new KeyRing(current, masters, wrapped);
    }

    /** Plain checks rather than AssertJ chains: these run hundreds of thousands of times. */
    private static void assertSound(KeyRing ring, String where) {
        List<String> violations = ring.violations();
        if (!violations.isEmpty()) {
            fail(where + ": " + violations);
        }
        if (ring.masterKeys().values().stream().filter(s -> s == KeyState.ACTIVE).count() > 1) {
            fail(where + ": more than one ACTIVE master key");
        }
        ring.wrappedBy().forEach((key, version) -> {
            if (!ring.masterKeyState(version).map(KeyLifecycle::mayUnwrap).orElse(false)) {
                fail(where + ": " + key + " cannot be unwrapped");
            }
        });
    }

    /** The destroy job: every master key the lifecycle rules let go, except those a snapshot pins. */
    private static KeyRing destroyWhatIsFree(KeyRing ring, Set<Integer> pinned) {
        KeyRing result = ring;
        for (int version : ring.masterKeys().keySet()) {
            Set<String> snapshots = pinned.contains(version) ? Set.of("snap-" + version) : Set.of();
            if (KeyLifecycle.destroy(result.masterKeyUse(version, snapshots)).mayProceed()) {
                result = result.withMasterKey(version, KeyState.DESTROYED);
            }
        }
        return result;
    }

    @Test
    void steps_everyPrefix_keepsEveryKeyUnwrappableAndAtMostOneActive() {
        for (int seed = 0; seed < SEEDS; seed++) {
            KeyRing ring = randomRing(new Random(seed));
            RotationPlan plan = RotationPlan.start(ring);
            assertSound(ring, "seed " + seed + " before");
            for (int step = 0; step < plan.steps().size(); step++) {
                ring = plan.steps().get(step).applyTo(ring);
                assertSound(ring, "seed " + seed + " after step " + step);
            }
            assertThat(ring.rotationUnfinished()).as("seed " + seed).isFalse();
            assertThat(ring.currentVersion()).as("seed " + seed).isEqualTo(plan.targetVersion());
        }
    }

    @Test
    void resume_afterACrashAtEveryStep_endsWhereAnUninterruptedRunEnds() {
        for (int seed = 0; seed < SEEDS; seed++) {
            KeyRing start = randomRing(new Random(seed));
            RotationPlan plan = RotationPlan.start(start);
            KeyRing uninterrupted = plan.applyTo(start);
            KeyRing stored = start;
            for (int crashAfter = 0; crashAfter <= plan.steps().size(); crashAfter++) {
                RotationPlan resumed = RotationPlan.resume(stored, plan.targetVersion());
                if (!resumed.applyTo(stored).equals(uninterrupted)) {
                    fail("seed " + seed + ", crash after " + crashAfter + " steps: ended elsewhere");
                }
                if (resumed.steps().size() > plan.steps().size() - crashAfter + 1) {
                    fail("seed " + seed + ", crash after " + crashAfter + " steps: work was redone");
                }
                if (crashAfter < plan.steps().size()) {
                    stored = plan.steps().get(crashAfter).applyTo(stored);
                }
            }
        }
    }

    @Test
    void steps_eachReplayedAfterItsCommit_sameAsOnce() {
        for (int seed = 0; seed < SEEDS; seed++) {
            KeyRing ring = randomRing(new Random(seed));
            for (RotationStep step : RotationPlan.start(ring).steps()) {
                KeyRing once = step.applyTo(ring);
                if (!step.applyTo(once).equals(once)) {
                    fail("seed " + seed + ": replaying " + step + " changed the ring");
                }
                ring = once;
            }
        }
    }

    @Test
    void start_againMidRotation_neverMakesASecondNewVersion() {
        for (int seed = 0; seed < SEEDS; seed++) {
            KeyRing ring = randomRing(new Random(seed));
            RotationPlan plan = RotationPlan.start(ring);
            for (int step = 0; step < plan.steps().size(); step++) {
                ring = plan.steps().get(step).applyTo(ring);
                RotationPlan again = RotationPlan.start(ring);
                if (ring.rotationUnfinished()
                        && (again.createsMasterKey() || again.targetVersion() != plan.targetVersion())) {
                    fail("seed " + seed + ", step " + step + ": a second rotation started");
                }
            }
        }
    }

    @Test
    void rotation_withDestroyJobAndNewKeysInterleaved_neverLosesAKey() {
        int raced = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            Random random = new Random(seed);
            KeyRing ring = randomRing(random);
            List<Integer> alive = ring.masterKeys().entrySet().stream()
                    .filter(e -> e.getValue() != KeyState.DESTROYED).map(e -> e.getKey()).toList();
            Set<Integer> pinned = Set.of(alive.get(random.nextInt(alive.size())));
            for (int rotation = 0; rotation < 3; rotation++) {
                RotationPlan plan = RotationPlan.start(ring);
                List<RotationStep> steps = plan.steps();
                for (int next = 0; next < steps.size(); next++) {
                    if (random.nextInt(4) == 0) {
                        // A new database key, under whatever version the writer read as current.
                        ring = ring.withWrapping(new DatabaseKeyRef("new" + random.nextInt(1000), 1), ring.currentVersion());
                    }
                    try {
                        ring = steps.get(next).applyTo(ring);
                    } catch (IllegalStateException movedUnderneath) {
                        raced++;
                        steps = RotationPlan.resume(ring, plan.targetVersion()).steps();
                        next = -1;
                        continue;
                    }
                    ring = destroyWhatIsFree(ring, pinned);
                    assertSound(ring, "seed " + seed + " " + steps.get(next));
                }
                assertThat(ring.rotationUnfinished()).as("seed %d", seed).isFalse();
            }
            for (int version : pinned) {
                assertThat(ring.masterKeyState(version)).as("seed %d: pinned version kept", seed)
                        .hasValueSatisfying(state -> assertThat(state).isNotEqualTo(KeyState.DESTROYED));
            }
        }
        assertThat(raced).as("some keys were created under the old version mid-rotation").isPositive();
    }

    @Test
    void rotations_manyInARow_versionsClimbWithOneActive() {
        KeyRing ring = randomRing(new Random(42));
        int first = ring.currentVersion();
        for (int rotation = 1; rotation <= 50; rotation++) {
            ring = RotationPlan.start(ring).applyTo(ring);
            assertThat(ring.currentVersion()).isEqualTo(first + rotation);
            assertSound(ring, "rotation " + rotation);
        }
        assertThat(ring.masterKeys().values().stream().filter(s -> s == KeyState.ACTIVE)).hasSize(1);
    }
}
