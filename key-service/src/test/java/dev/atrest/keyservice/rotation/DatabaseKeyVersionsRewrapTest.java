package dev.atrest.keyservice.rotation;

import static dev.atrest.keyservice.rotation.KeyHierarchyProbe.assertSound;
import static dev.atrest.keyservice.rotation.KeyHierarchyProbe.keys;
import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.atrest.keyservice.datakey.DatabaseKeys;
import dev.atrest.keyservice.datakey.ReleasedDatabaseKey;
import dev.atrest.keyservice.support.Api;
import dev.atrest.testsupport.Awaits;
import dev.atrest.v1.DatabaseKeyInfo;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.KeyState;
import dev.atrest.v1.MasterKeyVersion;
import dev.atrest.v1.RotateDatabaseKeyRequest;
import dev.atrest.v1.RotateMasterKeyRequest;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Retired database-key versions are live keys: a master-key rotation re-wraps them with the active one
 * and a CMK change keeps them readable, so every version still releases the bytes it had.
 */
@QuarkusTest
class DatabaseKeyVersionsRewrapTest {
    @Inject
    DatabaseKeys databaseKeys;

    @Test
    void rotateMasterKey_databaseKeyRotatedTwice_everyVersionRewrappedWithTheSameBytes() throws Exception {
        String project = encryptedProjectWithVersions();
        Map<String, String> before = everyVersion(project);

        Api.clusters().rotateMasterKey(RotateMasterKeyRequest.newBuilder().setProjectId(project)
                .setClusterName("c1").build());
        Awaits.rotationFinished(Api::clusters, project, "c1");

        assertThat(keys(project, "c1").getDatabaseKeysList())
                .extracting(DatabaseKeyInfo::getDatabaseName, DatabaseKeyInfo::getVersion, DatabaseKeyInfo::getState,
                        DatabaseKeyInfo::getWrappedByMasterKeyVersion)
                .containsExactly(tuple("orders", 1, KeyState.KEY_STATE_RETIRED, 2),
                        tuple("orders", 2, KeyState.KEY_STATE_RETIRED, 2),
                        tuple("orders", 3, KeyState.KEY_STATE_ACTIVE, 2),
                        tuple("payments", 1, KeyState.KEY_STATE_ACTIVE, 2));
        assertSound(project, "c1", 2);
        assertThat(everyVersion(project)).isEqualTo(before);
    }

    @Test
    void cmkChange_databaseKeyRotatedTwice_everyVersionStillReleasesTheSameBytes() {
        String project = encryptedProjectWithVersions();
        Map<String, String> before = everyVersion(project);

        Api.projects().updateProjectEncryption(enableLocal(project, "other"));

        assertThat(keys(project, "c1").getMasterKeyVersionsList())
                .filteredOn(key -> key.getState() != KeyState.KEY_STATE_DESTROYED)
                .extracting(MasterKeyVersion::getWrappingKeyId).containsOnly("local:other");
        assertThat(keys(project, "c1").getDatabaseKeysList()).hasSize(4);
        assertThat(everyVersion(project)).isEqualTo(before);
    }

    /** Database "orders" at versions 1 (first use), 2 and 3 (two rotations); "payments" at version 1. */
    private String encryptedProjectWithVersions() {
        String project = Api.uniqueId("rw");
        Api.projects().updateProjectEncryption(enableLocal(project));
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));
        databaseKeys.getOrCreate(project, "c1", "orders").close();
        databaseKeys.getOrCreate(project, "c1", "payments").close();
        for (int i = 0; i < 2; i++) {
            Api.clusters().rotateDatabaseKey(RotateDatabaseKeyRequest.newBuilder().setProjectId(project)
                    .setClusterName("c1").setDatabaseName("orders").build());
        }
        return project;
    }

    /** The bytes (hex) of every version of every database key, released by number. */
    private Map<String, String> everyVersion(String project) {
        Map<String, String> bytes = new TreeMap<>();
        for (DatabaseKeyInfo info : keys(project, "c1").getDatabaseKeysList()) {
            try (ReleasedDatabaseKey key = databaseKeys.release(project, "c1", info.getDatabaseName(),
                    info.getVersion())) {
                bytes.put(info.getDatabaseName() + "@" + info.getVersion(),
                        HexFormat.of().formatHex(key.key().copyBytes()));
            }
        }
        assertThat(bytes).hasSize(4);
        assertThat(bytes.values()).as("every version is a key of its own").doesNotHaveDuplicates();
        return bytes;
    }
}
