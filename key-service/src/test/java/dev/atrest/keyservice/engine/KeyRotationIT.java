package dev.atrest.keyservice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import dev.atrest.keyservice.support.ItDatabase;
import dev.atrest.keyservice.support.Requests;
import dev.atrest.keyservice.support.StoredHierarchy;
import dev.atrest.testsupport.Awaits;
import dev.atrest.v1.DatabaseKeyInfo;
import dev.atrest.v1.GetRotationStatusRequest;
import dev.atrest.v1.RotateDatabaseKeyRequest;
import dev.atrest.v1.RotateMasterKeyRequest;
import dev.atrest.v1.RotationStatus;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Key rotation under a running MariaDB: atrest's master-key rotation (also with the key service killed with SIGKILL
 * during the re-wrap) changes none of MariaDB's keys, so a restarted MariaDB reads everything; RotateDatabaseKey on
 * key "1" makes a new version that MariaDB's own key rotation re-encrypts its pages under. One service (LOCAL root,
 * so that keys can be seeded behind its back) and one MariaDB data directory for the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeyRotationIT {
    /** Enough database keys that the re-wrap is some fifteen transactions: long enough to kill the service in. */
    private static final int SEEDED_KEYS = 3000;
    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final Duration NUDGE_INTERVAL = Duration.ofMillis(250);
    private static AtrestKeys atrest;
    private static EngineServer server;
    private static MarkerTables tables;

    @BeforeAll
    static void encryptedTablesWithRows() {
        Path root = EngineFiles.dir("KeyRotationIT");
        atrest = AtrestKeys.start("engine-rotation", root.resolve("service"), true);
        server = EngineServer.create(root.resolve("engine"), atrest.engineOptions());
        server.start();
        server.awaitAllEncrypted(LIMIT);
        tables = new MarkerTables(EngineFiles.marker("ROTATION"), EngineFiles.marker("ROTATION-LOGGED"));
        tables.create(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (atrest != null) {
            atrest.close();
        }
    }

    @Test
    @Order(1)
    void masterKeyRotated_noDatabaseKeyChangesAndRestartedMariaDbReadsEverything() throws Exception {
        List<String> before = atrest.databaseKeys();
        int masterKeys = masterKeyVersions();

        atrest.service.clusters().rotateMasterKey(rotateMasterKey());
        RotationStatus finished = Awaits.rotationFinished(atrest.service::clusters, atrest.project, AtrestKeys.CLUSTER);

        assertThat(finished.getRewrappedKeys()).isEqualTo(finished.getTotalKeys());
        assertThat(masterKeyVersions()).isEqualTo(masterKeys + 1);
        assertThat(atrest.databaseKeys()).isEqualTo(before);
        restartAndReadBack();
    }

    @Test
    @Order(2)
    void serviceKilledDuringMasterKeyRotation_restartedItFinishesAndRestartedMariaDbReadsEverything() throws Exception {
        StoredHierarchy stored = new StoredHierarchy(ItDatabase.shared(), atrest.dataDir);
        stored.seed(atrest.project, AtrestKeys.CLUSTER, SEEDED_KEYS);
        List<String> before = atrest.databaseKeys();

        ListenableFuture<RotationStatus> call = atrest.service.clustersAsync().rotateMasterKey(rotateMasterKey());
        RotationStatus midway = Awaits.until("the re-wrap under way", LIMIT, this::rotationStatus,
                status -> status.getInProgress() && status.getRewrappedKeys() > 0
                        || call.isDone() && !status.getInProgress()); // finished before it could be caught: fails below
        atrest.service.killHard();
        assertThat(midway.getInProgress()).as("killed during the re-wrap: %s", midway).isTrue();
        assertThat(midway.getRewrappedKeys()).as("killed during the re-wrap").isLessThan(midway.getTotalKeys());
        stored.assertSound(atrest.project, "service killed during the re-wrap");

        atrest.service.start();
        RotationStatus finished = Awaits.rotationFinished(atrest.service::clusters, atrest.project, AtrestKeys.CLUSTER);
        assertThat(finished.getRewrappedKeys()).isEqualTo(finished.getTotalKeys());
        stored.assertSound(atrest.project, "after the restart");
        assertThat(atrest.databaseKeys()).isEqualTo(before);
        System.out.printf("KeyRotationIT: service killed after %d of %d keys re-wrapped%n", midway.getRewrappedKeys(),
                midway.getTotalKeys());
        atrest.follow(server.options());
        restartAndReadBack();
    }

    @Test
    @Order(3)
    void databaseKeyOneRotated_mariaDbReencryptsPagesUnderTheNewVersionAndReadsEverythingAfterRestart()
            throws Exception {
        if (!server.running()) {
            server.start();
        }
        assertThat(keyVersions(1)).as("tablespaces under key 1 before").isNotEmpty().allMatch(v -> v.equals(List.of("1", "1")));

        // innodb_encryption_rotate_key_age=1 re-encrypts a page once its key version is MORE than one behind the
        // latest (InnoDB's fil_crypt_needs_rotation: min + age < latest): two rotations move every page.
        assertThat(rotateKeyOne(1).getVersion()).isEqualTo(2);
        assertThat(rotateKeyOne(2).getVersion()).isEqualTo(3);
        awaitKeyOne("every page under key 1 re-encrypted under version 3 (MIN_KEY_VERSION)", "3");
        assertThat(keyVersions(1)).as("CURRENT_KEY_VERSION of the tablespaces under key 1").allMatch(v -> v.get(0).equals("3"));
        assertThat(keyVersions(2)).as("the tablespace under key 2").containsOnly(List.of("1", "1"));
        HttpResponse<String> older = VaultHttp.get(atrest.vaultUrl() + "/data/1?version=1", atrest.consumerToken);
        assertThat(older.statusCode()).as("version 1 stays readable: %s", older.statusCode()).isEqualTo(200);
        assertThat(atrest.databaseKeys()).contains("1 v1", "1 v2", "1 v3", "2 v1");
        restartAndReadBack();
    }

    private static DatabaseKeyInfo rotateKeyOne(int expectedVersion) {
        return atrest.service.clusters().rotateDatabaseKey(RotateDatabaseKeyRequest.newBuilder()
                .setProjectId(atrest.project).setClusterName(AtrestKeys.CLUSTER).setDatabaseName("1")
                .setExpectedVersion(expectedVersion).build());
    }

    /**
     * Waits until every tablespace under key 1 has MIN_KEY_VERSION {@code minKeyVersion}: no page under an older one.
     * InnoDB's encryption threads sleep until a page write finds a newer key version or a DBA sets an encryption
     * variable, and the plugin asks atrest for the latest version once its cached one is 1 s old: so the nudge a
     * DBA gives after a rotation, repeated (every 250 ms) until MariaDB has seen the new version.
     */
    private static void awaitKeyOne(String what, String minKeyVersion) {
        long[] lastNudge = {0};
        Awaits.until(what, LIMIT, () -> {
            if (System.nanoTime() - lastNudge[0] < NUDGE_INTERVAL.toNanos()) {
                return false;
            }
            lastNudge[0] = System.nanoTime();
            server.execute("SET GLOBAL innodb_encryption_rotate_key_age = 1");
            return keyVersions(1).stream().allMatch(v -> v.get(1).equals(minKeyVersion));
        });
    }

    /** [CURRENT_KEY_VERSION, MIN_KEY_VERSION] of every tablespace encrypted under MariaDB key {@code keyId}. */
    private static List<List<String>> keyVersions(int keyId) throws SQLException {
        return server.query("SELECT CURRENT_KEY_VERSION, MIN_KEY_VERSION FROM"
                + " information_schema.INNODB_TABLESPACES_ENCRYPTION WHERE ENCRYPTION_SCHEME = 1 AND CURRENT_KEY_ID = "
                + keyId);
    }

    private static void restartAndReadBack() throws SQLException {
        server.stop();
        server.start();
        tables.assertReadBack(server);
        server.stop();
    }

    private RotationStatus rotationStatus() {
        return atrest.service.clusters().getRotationStatus(GetRotationStatusRequest.newBuilder()
                .setProjectId(atrest.project).setClusterName(AtrestKeys.CLUSTER).build());
    }

    private static int masterKeyVersions() {
        return atrest.service.clusters().listClusterKeys(Requests.keys(atrest.project, AtrestKeys.CLUSTER))
                .getMasterKeyVersionsCount();
    }

    private static RotateMasterKeyRequest rotateMasterKey() {
        return RotateMasterKeyRequest.newBuilder().setProjectId(atrest.project).setClusterName(AtrestKeys.CLUSTER).build();
    }
}
