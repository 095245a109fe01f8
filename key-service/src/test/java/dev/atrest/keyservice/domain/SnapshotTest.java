package dev.atrest.keyservice.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static Snapshot snapshot(String id, String cluster, int masterKey, Map<String, Integer> databases) {
        return new Snapshot(id, "p1", cluster, masterKey, databases, NOW);
    }

    @Test
    void needingMasterKey_onlySnapshotsOfThatClusterAndVersion() {
        List<Snapshot> live = List.of(snapshot("a", "c1", 1, Map.of()), snapshot("b", "c1", 2, Map.of()),
                snapshot("c", "c2", 1, Map.of()), new Snapshot("d", "p2", "c1", 1, Map.of(), NOW));

        assertThat(Snapshot.needingMasterKey(live, "p1", "c1", 1)).containsExactly("a");
        assertThat(Snapshot.needingMasterKey(live, "p1", "c1", 3)).isEmpty();
    }

    @Test
    void needingDatabaseKey_matchesDatabaseAndVersion() {
        List<Snapshot> live = List.of(snapshot("a", "c1", 1, Map.of("orders", 1, "users", 2)),
                snapshot("b", "c1", 2, Map.of("orders", 2)));

        assertThat(Snapshot.needingDatabaseKey(live, "p1", "c1", "orders", 1)).containsExactly("a");
        assertThat(Snapshot.needingDatabaseKey(live, "p1", "c1", "orders", 2)).containsExactly("b");
        assertThat(Snapshot.needingDatabaseKey(live, "p1", "c1", "users", 1)).isEmpty();
        assertThat(Snapshot.needingDatabaseKey(live, "p1", "c2", "users", 2)).isEmpty();
    }

    @Test
    void constructor_copiesVersions_laterChangesDoNotLeakIn() {
        Map<String, Integer> versions = new HashMap<>(Map.of("orders", 1));
        Snapshot snapshot = snapshot("a", "c1", 1, versions);

        versions.put("users", 1);

        assertThat(snapshot.databaseKeyVersions()).containsOnlyKeys("orders");
    }

    @Test
    void constructor_versionZero_refused() {
        assertThatThrownBy(() -> snapshot("a", "c1", 0, Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> snapshot("a", "c1", 1, Map.of("orders", 0))).isInstanceOf(IllegalArgumentException.class);
    }
}
