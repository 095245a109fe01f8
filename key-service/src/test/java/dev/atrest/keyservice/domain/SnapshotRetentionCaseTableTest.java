package dev.atrest.keyservice.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.domain.LifecycleDecision.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * KeyLifecycle and SnapshotRestore together: master-key version 1 at each stage × whether a live
 * snapshot recorded it. The destroy verdict is what the retention sweep acts on; the restore check is
 * asked after the sweep, so the two rules can be seen to agree. A released snapshot is, to both rules,
 * the same as none.
 */
class SnapshotRetentionCaseTableTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final DatabaseKeyRef ORDERS = new DatabaseKeyRef("orders", 1);
    private static final Snapshot SNAPSHOT = new Snapshot("snap-1", "p1", "c1", 1, Map.of("orders", 1), NOW);
    private static final ProjectEncryption PROJECT = new ProjectEncryption("p1",
            Optional.of(new LocalKeySettings("default")), true, true, null, NOW, NOW, 1, NOW, NOW,
            CmkAgePolicy.DEFAULT, Optional.empty(), 1);

    @ParameterizedTest(name = "{0}, live snapshot={1}: destroy {2}, restore allowed {3}")
    @CsvSource({
            "active,    true,  REFUSED,      true",
            "active,    false, REFUSED,      ",
            "rotating,  true,  REFUSED,      true",
            "rotating,  false, REFUSED,      ",
            "retired,   true,  REFUSED,      true",
            "retired,   false, PROCEED,      ",
            "destroyed, true,  ALREADY_DONE, false",
            "destroyed, false, ALREADY_DONE, ",
    })
    void destroyThenRestore_stageBySnapshot_caseTable(String stage, boolean live, Verdict destroy, Boolean restorable) {
        KeyRing ring = ring(stage);
        List<Snapshot> liveSnapshots = live ? List.of(SNAPSHOT) : List.of();

        LifecycleDecision decision = KeyLifecycle.destroy(
                ring.masterKeyUse(1, Snapshot.needingMasterKey(liveSnapshots, "p1", "c1", 1)));
        KeyRing swept = decision.mayProceed() ? ring.withMasterKey(1, KeyState.DESTROYED) : ring;

        assertThat(decision.verdict()).isEqualTo(destroy);
        assertThat(swept.violations()).isEmpty();
        if (live) {
            assertThat(SnapshotRestore.missingKeys(SNAPSHOT, keys(swept)).isEmpty()).isEqualTo(restorable);
        }
    }

    /** Version 1 at a stage; "rotating" is retired but still wrapping "orders", as mid-rotation. */
    private static KeyRing ring(String stage) {
        KeyRing one = new KeyRing(1, new TreeMap<>(Map.of(1, KeyState.ACTIVE)), new TreeMap<>(Map.of(ORDERS, 1)));
        KeyRing rotating = one.withMasterKey(1, KeyState.RETIRED).withMasterKey(2, KeyState.ACTIVE).withCurrentVersion(2);
        return switch (stage) {
            case "active" -> one;
            case "rotating" -> rotating;
            case "retired" -> rotating.withWrapping(ORDERS, 2);
            case "destroyed" -> rotating.withWrapping(ORDERS, 2).withMasterKey(1, KeyState.DESTROYED);
            default -> throw new IllegalArgumentException(stage);
        };
    }

    private static ClusterKeys keys(KeyRing ring) {
        List<MasterKeyVersion> masters = new ArrayList<>();
        ring.masterKeys().forEach((v, s) -> masters.add(new MasterKeyVersion(v, s, Provider.LOCAL, "local:default", NOW)));
        List<DatabaseKeyInfo> databases = new ArrayList<>();
        ring.wrappedBy().forEach((k, v) -> databases.add(new DatabaseKeyInfo(k.databaseName(), k.version(), v,
                KeyState.ACTIVE, NOW)));
        return new ClusterKeys(masters, databases);
    }
}
