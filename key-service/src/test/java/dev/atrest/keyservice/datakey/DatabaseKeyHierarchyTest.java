package dev.atrest.keyservice.datakey;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.keys;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.crypto.UnwrapException;
import dev.atrest.keyservice.domain.PreconditionFailedException;
import dev.atrest.keyservice.domain.PreconditionFailedException.Reason;
import dev.atrest.keyservice.masterkey.KeyAccessChanged;
import dev.atrest.keyservice.store.DatabaseKeyEntity;
import dev.atrest.keyservice.store.DatabaseKeyRepository;
import dev.atrest.keyservice.store.ProjectEncryptionRepository;
import dev.atrest.keyservice.support.Api;
import dev.atrest.v1.EncryptionAtRestProvider;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * Database keys on the real store: created on first use under the active master key, stable across
 * reads, listed without material, bound to their row (AAD) so a copied wrapped key fails, and served
 * from memory once released, until the service learns of a change.
 */
@QuarkusTest
class DatabaseKeyHierarchyTest {
    @Inject
    DatabaseKeys databaseKeys;

    @Inject
    DatabaseKeyRepository rows;

    @Inject
    ProjectEncryptionRepository projects;

    @Inject
    Event<KeyAccessChanged> keyAccessChanged;

    @Test
    void getOrCreate_firstUseThenAgain_sameKeyListedUnderMasterVersion() {
        String project = encryptedProject("c1");

        byte[] first;
        byte[] second;
        try (ReleasedDatabaseKey key = databaseKeys.getOrCreate(project, "c1", "orders")) {
            first = key.key().copyBytes();
            assertThat(key.version()).isEqualTo(1);
            assertThat(key.masterKeyVersion()).isEqualTo(1);
        }
        try (ReleasedDatabaseKey key = databaseKeys.getOrCreate(project, "c1", "orders")) {
            second = key.key().copyBytes();
        }

        assertThat(second).isEqualTo(first);
        var listed = Api.clusters().listClusterKeys(keys(project, "c1"));
        assertThat(listed.getDatabaseKeysList()).singleElement().satisfies(k -> {
            assertThat(k.getDatabaseName()).isEqualTo("orders");
            assertThat(k.getWrappedByMasterKeyVersion()).isEqualTo(1);
        });
        assertThat(listed.toString()).doesNotContain(hex(first));
    }

    @Test
    void getOrCreate_wrappedKeyCopiedToAnotherDatabaseRow_failsToUnwrap() {
        String project = encryptedProject("c1");
        databaseKeys.getOrCreate(project, "c1", "orders").close();
        databaseKeys.getOrCreate(project, "c1", "payments").close();

        QuarkusTransaction.requiringNew().run(() -> {
            DatabaseKeyEntity orders = rows.findLatest(project, "c1", "orders").orElseThrow();
            DatabaseKeyEntity payments = rows.findLatest(project, "c1", "payments").orElseThrow();
            payments.wrappedKey = orders.wrappedKey.clone();
        });
        // Changed behind the service's back: it would go on serving the key it holds in memory.
        keyAccessChanged.fire(new KeyAccessChanged(project));

        assertThatThrownBy(() -> databaseKeys.getOrCreate(project, "c1", "payments"))
                .isInstanceOf(UnwrapException.class);
    }

    @Test
    void getOrCreate_storeChangedBehindTheServiceBack_servedFromMemoryUntilToldOfAChange() {
        String project = encryptedProject("c1");
        byte[] released;
        try (ReleasedDatabaseKey key = databaseKeys.getOrCreate(project, "c1", "orders")) {
            released = key.key().copyBytes();
        }

        QuarkusTransaction.requiringNew().run(() -> {
            rows.delete("projectId = ?1 and databaseName = ?2", project, "orders");
            projects.findByProjectId(project).orElseThrow().valid = false;
        });

        // A repeated release reads nothing from the database: neither the admission nor the key.
        try (ReleasedDatabaseKey key = databaseKeys.getOrCreate(project, "c1", "orders")) {
            assertThat(key.key().copyBytes()).isEqualTo(released);
        }
        keyAccessChanged.fire(new KeyAccessChanged(project));
        assertThatThrownBy(() -> databaseKeys.getOrCreate(project, "c1", "orders"))
                .isInstanceOfSatisfying(PreconditionFailedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.ENCRYPTION_AT_REST_SETTINGS_INVALID));
    }

    @Test
    void getOrCreate_clusterNotEncrypted_refused() {
        String project = encryptedProject("c1");
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.NONE));

        assertThatThrownBy(() -> databaseKeys.getOrCreate(project, "c1", "orders"))
                .hasMessageContaining("not encrypted");
    }

    private static String encryptedProject(String cluster) {
        String project = Api.uniqueId("p");
        Api.projects().updateProjectEncryption(enableLocal(project));
        Api.clusters().setClusterEncryption(setCluster(project, cluster, EncryptionAtRestProvider.LOCAL));
        return project;
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(String.format("%02x", b));
        }
        return out.toString();
    }
}
