package dev.atrest.keyservice.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.domain.LifecycleDecision.Verdict;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class KeyLifecycleTest {

    /**
     * The master-key stages a version passes through, as the stored hierarchy shows them. "rotating" is
     * the version a rotation is moving away from: already RETIRED (the new version took over at once),
     * but still wrapping database keys until every one is re-wrapped.
     */
    private static KeyVersionUse masterKey(String stage, boolean snapshot) {
        Set<String> snapshots = snapshot ? Set.of("snap-1") : Set.of();
        return switch (stage) {
            case "active" -> new KeyVersionUse(KeyState.ACTIVE, true, 3, snapshots);
            case "rotating" -> new KeyVersionUse(KeyState.RETIRED, false, 3, snapshots);
            case "retired" -> new KeyVersionUse(KeyState.RETIRED, false, 0, snapshots);
            case "destroyed" -> new KeyVersionUse(KeyState.DESTROYED, false, 0, snapshots);
            default -> throw new IllegalArgumentException(stage);
        };
    }

    @ParameterizedTest(name = "{0} key, snapshot={1}: retire {2}, destroy {3}")
    @CsvSource({
            "active,    false, REFUSED,      REFUSED",
            "active,    true,  REFUSED,      REFUSED",
            "rotating,  false, ALREADY_DONE, REFUSED",
            "rotating,  true,  ALREADY_DONE, REFUSED",
            "retired,   false, ALREADY_DONE, PROCEED",
            "retired,   true,  ALREADY_DONE, REFUSED",
            "destroyed, false, REFUSED,      ALREADY_DONE",
            "destroyed, true,  REFUSED,      ALREADY_DONE",
    })
    void retireAndDestroy_stageBySnapshotReference_caseTable(
            String stage, boolean snapshot, Verdict retire, Verdict destroy) {
        KeyVersionUse use = masterKey(stage, snapshot);

        assertThat(KeyLifecycle.retire(use).verdict()).isEqualTo(retire);
        assertThat(KeyLifecycle.destroy(use).verdict()).isEqualTo(destroy);
    }

    @ParameterizedTest(name = "database key {0}, snapshot={1}: retire {2}, destroy {3}")
    @CsvSource({
            "ACTIVE,    true,  false, REFUSED,      REFUSED",
            "ACTIVE,    false, false, PROCEED,      REFUSED",
            "ACTIVE,    false, true,  PROCEED,      REFUSED",
            "RETIRED,   false, false, ALREADY_DONE, PROCEED",
            "RETIRED,   false, true,  ALREADY_DONE, REFUSED",
            "DESTROYED, false, false, REFUSED,      ALREADY_DONE",
    })
    void retireAndDestroy_databaseKeyVersions_caseTable(
            KeyState state, boolean current, boolean snapshot, Verdict retire, Verdict destroy) {
        KeyVersionUse use = new KeyVersionUse(state, current, 0, snapshot ? Set.of("snap-1") : Set.of());

        assertThat(KeyLifecycle.retire(use).verdict()).isEqualTo(retire);
        assertThat(KeyLifecycle.destroy(use).verdict()).isEqualTo(destroy);
    }

    @Test
    void destroy_referencedBySnapshots_reasonNamesThemSorted() {
        KeyVersionUse use = new KeyVersionUse(KeyState.RETIRED, false, 0, Set.of("snap-b", "snap-a"));

        assertThat(KeyLifecycle.destroy(use).reason()).isEqualTo("the key is needed by live snapshots: snap-a,snap-b");
    }

    @Test
    void destroy_stillWrapsDatabaseKeys_reasonSaysHowMany() {
        KeyVersionUse use = new KeyVersionUse(KeyState.RETIRED, false, 7, Set.of());

        assertThat(KeyLifecycle.destroy(use).reason()).contains("7 database keys");
    }

    @Test
    void destroy_retiredButCurrent_refused() {
        assertThat(KeyLifecycle.destroy(new KeyVersionUse(KeyState.RETIRED, true, 0, Set.of())).mayProceed()).isFalse();
    }

    @Test
    void destroy_snapshotReleased_proceeds() {
        KeyVersionUse pinned = new KeyVersionUse(KeyState.RETIRED, false, 0, Set.of("snap-1"));
        KeyVersionUse released = new KeyVersionUse(KeyState.RETIRED, false, 0, Set.of());

        assertThat(KeyLifecycle.destroy(pinned).mayProceed()).isFalse();
        assertThat(KeyLifecycle.destroy(released).mayProceed()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(KeyState.class)
    void mayWrapAndMayUnwrap_byState_retiredIsDecryptOnly(KeyState state) {
        assertThat(KeyLifecycle.mayWrap(state)).isEqualTo(state == KeyState.ACTIVE);
        assertThat(KeyLifecycle.mayUnwrap(state)).isEqualTo(state != KeyState.DESTROYED);
    }

    @ParameterizedTest
    @EnumSource(KeyState.class)
    void retireThenDestroy_anyStart_neverLeavesDestroyed(KeyState start) {
        KeyState state = start;
        for (int round = 0; round < 3; round++) {
            KeyVersionUse use = new KeyVersionUse(state, false, 0, Set.of());
            if (KeyLifecycle.retire(use).mayProceed()) {
                state = KeyState.RETIRED;
            }
            use = new KeyVersionUse(state, false, 0, Set.of());
            if (KeyLifecycle.destroy(use).mayProceed()) {
                state = KeyState.DESTROYED;
            }
        }

        assertThat(state).isEqualTo(KeyState.DESTROYED);
        assertThat(KeyLifecycle.retire(new KeyVersionUse(state, false, 0, Set.of())).verdict())
                .isEqualTo(Verdict.REFUSED);
    }
}
