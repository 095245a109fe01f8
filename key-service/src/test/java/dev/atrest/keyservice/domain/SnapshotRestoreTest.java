package dev.atrest.keyservice.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.domain.PreconditionFailedException.Reason;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SnapshotRestoreTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Snapshot SNAPSHOT = new Snapshot("snap-1", "p1", "c1", 1, Map.of("orders", 1, "users", 1), NOW);

    private static ProjectEncryption project(boolean valid, String error) {
        return new ProjectEncryption("p1", Optional.of(new LocalKeySettings("default")), true, valid, error,
                NOW, NOW, 1, NOW, NOW, CmkAgePolicy.DEFAULT, Optional.empty(), 1);
    }

    private static MasterKeyVersion master(int version, KeyState state) {
        return new MasterKeyVersion(version, state, Provider.LOCAL, "local:default", NOW);
    }

    private static DatabaseKeyInfo database(String name, int wrappedBy, KeyState state) {
        return new DatabaseKeyInfo(name, 1, wrappedBy, state, NOW);
    }

    /** After one rotation: version 1 retired, both database keys re-wrapped under version 2. */
    private static ClusterKeys rotated(KeyState version1) {
        return new ClusterKeys(List.of(master(2, KeyState.ACTIVE), master(1, version1)),
                List.of(database("orders", 2, KeyState.ACTIVE), database("users", 2, KeyState.ACTIVE)));
    }

    private static void assertRefused(ProjectEncryption project, ClusterKeys keys, String messagePart) {
        assertThatThrownBy(() -> SnapshotRestore.check(SNAPSHOT, project, keys))
                .isInstanceOfSatisfying(PreconditionFailedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INVALID_SNAPSHOT_RESTORE_ENCRYPTION);
                    assertThat(e.getMessage()).contains("snap-1").contains(messagePart);
                    assertThat(e.metadata()).containsEntry("snapshot_id", "snap-1");
                });
    }

    @Test
    void check_versionsRetiredButStored_allowed() {
        assertThatCode(() -> SnapshotRestore.check(SNAPSHOT, project(true, null), rotated(KeyState.RETIRED)))
                .doesNotThrowAnyException();
    }

    @Test
    void check_masterKeyVersionDestroyed_refusedNamingIt() {
        assertRefused(project(true, null), rotated(KeyState.DESTROYED), "master_key:1");
    }

    @Test
    void check_databaseKeyMissing_refusedNamingIt() {
        ClusterKeys keys = new ClusterKeys(List.of(master(1, KeyState.ACTIVE)),
                List.of(database("orders", 1, KeyState.ACTIVE)));

        assertThatThrownBy(() -> SnapshotRestore.check(SNAPSHOT, project(true, null), keys))
                .isInstanceOfSatisfying(PreconditionFailedException.class, e -> assertThat(e.metadata())
                        .containsEntry("missing_keys", "database_key:users:1"));
    }

    @Test
    void check_databaseKeyDestroyed_refused() {
        ClusterKeys keys = new ClusterKeys(List.of(master(1, KeyState.ACTIVE)),
                List.of(database("orders", 1, KeyState.ACTIVE), database("users", 1, KeyState.DESTROYED)));

        assertRefused(project(true, null), keys, "database_key:users:1");
    }

    @Test
    void check_databaseKeyWrappedByDestroyedMasterKey_refused() {
        ClusterKeys keys = new ClusterKeys(List.of(master(2, KeyState.DESTROYED), master(1, KeyState.ACTIVE)),
                List.of(database("orders", 1, KeyState.ACTIVE), database("users", 2, KeyState.ACTIVE)));

        assertRefused(project(true, null), keys, "database_key:users:1");
    }

    @Test
    void check_cmkInvalid_refusedWithKmsReason() {
        assertRefused(project(false, "DisabledException: key is disabled"), rotated(KeyState.RETIRED),
                "the project's CMK is invalid: DisabledException: key is disabled");
    }

    @Test
    void check_noProject_refused() {
        assertRefused(null, rotated(KeyState.RETIRED), "no root key");
    }

    @Test
    void check_projectOfAnotherSnapshot_programmingError() {
        ProjectEncryption other = new ProjectEncryption("p2", Optional.of(new LocalKeySettings("default")), true,
                true, null, NOW, NOW, 1, NOW, NOW, CmkAgePolicy.DEFAULT, Optional.empty(), 1);

        assertThatThrownBy(() -> SnapshotRestore.check(SNAPSHOT, other, rotated(KeyState.RETIRED)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingKeys_everythingGone_listsAllInStableOrder() {
        ClusterKeys empty = new ClusterKeys(List.of(), List.of());

        assertThat(SnapshotRestore.missingKeys(SNAPSHOT, empty))
                .containsExactly("master_key:1", "database_key:orders:1", "database_key:users:1");
    }
}
