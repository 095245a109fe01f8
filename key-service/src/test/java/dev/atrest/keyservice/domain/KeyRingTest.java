package dev.atrest.keyservice.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class KeyRingTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final DatabaseKeyRef ORDERS = new DatabaseKeyRef("orders", 1);
    private static final DatabaseKeyRef USERS = new DatabaseKeyRef("users", 1);

    private static KeyRing ring(int current, Map<Integer, KeyState> masters, Map<DatabaseKeyRef, Integer> wrapped) {
        return new KeyRing(current, new TreeMap<>(masters), new TreeMap<>(wrapped));
    }

    @Test
    void of_clusterKeys_leavesOutDestroyedDatabaseKeys() {
        ClusterKeys keys = new ClusterKeys(
                List.of(new MasterKeyVersion(2, KeyState.ACTIVE, Provider.LOCAL, "local:default", NOW),
                        new MasterKeyVersion(1, KeyState.RETIRED, Provider.LOCAL, "local:default", NOW)),
                List.of(new DatabaseKeyInfo("orders", 1, 1, KeyState.ACTIVE, NOW),
                        new DatabaseKeyInfo("users", 1, 1, KeyState.DESTROYED, NOW)));

        KeyRing ring = KeyRing.of(keys, 2);

        assertThat(ring.masterKeys()).containsExactly(Map.entry(1, KeyState.RETIRED), Map.entry(2, KeyState.ACTIVE));
        assertThat(ring.wrappedBy()).containsExactly(Map.entry(ORDERS, 1));
        assertThat(ring.rotationUnfinished()).isTrue();
    }

    @Test
    void nextVersion_topVersionDestroyed_stillNeverReused() {
        KeyRing ring = ring(2, Map.of(2, KeyState.ACTIVE, 3, KeyState.DESTROYED), Map.of());

        assertThat(ring.nextVersion()).isEqualTo(4);
        assertThat(ring(0, Map.of(), Map.of()).nextVersion()).isEqualTo(1);
    }

    @Test
    void violations_soundRing_none() {
        KeyRing ring = ring(2, Map.of(1, KeyState.RETIRED, 2, KeyState.ACTIVE), Map.of(ORDERS, 1, USERS, 2));

        assertThat(ring.violations()).isEmpty();
    }

    @Test
    void violations_twoActive_reported() {
        KeyRing ring = ring(2, Map.of(1, KeyState.ACTIVE, 2, KeyState.ACTIVE), Map.of());

        assertThat(ring.violations()).contains("more than one ACTIVE master key: versions [1, 2]",
                "master-key version 1 is ACTIVE but not current");
    }

    @Test
    void violations_currentNotActive_reported() {
        assertThat(ring(2, Map.of(2, KeyState.RETIRED), Map.of()).violations())
                .containsExactly("current master-key version 2 is RETIRED");
    }

    @Test
    void violations_keyWrappedByDestroyedOrMissingVersion_reported() {
        KeyRing ring = ring(2, Map.of(1, KeyState.DESTROYED, 2, KeyState.ACTIVE), Map.of(ORDERS, 1, USERS, 7));

        assertThat(ring.violations()).containsExactly(
                "database key orders:1 is wrapped by master-key version 1, which is DESTROYED",
                "database key users:1 is wrapped by master-key version 7, which is missing");
    }

    @Test
    void masterKeyUse_countsWrappedKeysAndCurrent() {
        KeyRing ring = ring(2, Map.of(1, KeyState.RETIRED, 2, KeyState.ACTIVE), Map.of(ORDERS, 1, USERS, 2));

        assertThat(ring.masterKeyUse(1, Set.of("s"))).isEqualTo(new KeyVersionUse(KeyState.RETIRED, false, 1, Set.of("s")));
        assertThat(ring.masterKeyUse(2, Set.of())).isEqualTo(new KeyVersionUse(KeyState.ACTIVE, true, 1, Set.of()));
        assertThatThrownBy(() -> ring.masterKeyUse(3, Set.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withChanges_leaveTheOriginalUntouched() {
        KeyRing ring = ring(1, Map.of(1, KeyState.ACTIVE), Map.of(ORDERS, 1));

        ring.withMasterKey(2, KeyState.ACTIVE).withCurrentVersion(2).withWrapping(ORDERS, 2);

        assertThat(ring).isEqualTo(ring(1, Map.of(1, KeyState.ACTIVE), Map.of(ORDERS, 1)));
    }
}
