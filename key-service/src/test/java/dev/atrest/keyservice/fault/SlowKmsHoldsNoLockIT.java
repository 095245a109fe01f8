package dev.atrest.keyservice.fault;

import static dev.atrest.keyservice.support.Requests.enableAws;
import static dev.atrest.keyservice.support.Requests.keys;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import dev.atrest.keyservice.support.Client;
import dev.atrest.keyservice.support.ItDatabase;
import dev.atrest.keyservice.support.Moto;
import dev.atrest.keyservice.support.ServiceProcess;
import dev.atrest.v1.AwsKmsConfig;
import dev.atrest.v1.ClusterEncryption;
import dev.atrest.v1.CreateAccessTokenRequest;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.MasterKeyVersion;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.Role;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged service with every KMS answer delayed 2 s by toxiproxy (in front of moto). While a call waits
 * on KMS (a CMK change validating the new CMK, a cluster's first master key being generated, a master key
 * being moved to the new CMK) it holds no row lock and no transaction: the project's other calls answer within
 * a 1 s deadline, and another database connection can lock the project's row (FOR UPDATE NOWAIT) at once.
 * Two updates racing with the same etag: one wins, the other is refused, and nothing of it is stored.
 */
class SlowKmsHoldsNoLockIT {
    private static final long KMS_LATENCY_MS = 2000;
    private static final Duration QUICK = Duration.ofSeconds(1);
    /**
     * How long a test lets a call reach its KMS wait before looking: the steps before each KMS call take
     * milliseconds, and each KMS call takes at least KMS_LATENCY_MS.
     */
    private static final long SETTLE_MS = 700;
    private static final String ACCESS_KEY_ID = "AKIASLOWKMSTEST00001";
    private static final String SECRET = "slow-kms-test-secret-access-key";

    private static KmsPath kms;
    private static ServiceProcess service;
    private static ItDatabase db;
    private static Client consumer;

    @BeforeAll
    static void start() {
        FaultRun run = FaultRun.of("SlowKmsHoldsNoLockIT", 0);
        db = ItDatabase.shared();
        kms = KmsPath.open();
        service = new ServiceProcess("slow-kms", db, run.dataDir, run.sealKey, "1h")
                .with("atrest.aws.endpoint-override", kms.serviceEndpoint().toString())
                .with("atrest.validation.interval", "1h").start();
        String token = service.admin().access().createAccessToken(CreateAccessTokenRequest.newBuilder()
                .setName("slow-kms-consumer").setRole(Role.KEY_CONSUMER).setAllProjects(true).build()).getSecret();
        consumer = service.as(token);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (kms != null) {
            kms.close();
        }
    }

    @Test
    void setClusterEncryption_firstMasterKeyWhileKmsSlow_projectRowFreeAndOtherCallsAnswer() throws Exception {
        String project = seededProject();
        ByteString released = key(project, "db0");
        assertOthersAnswerQuickly(project, released, "with KMS quick and no call waiting (baseline)");
        slowKms(() -> {
            ListenableFuture<ClusterEncryption> enabling = service.clustersAsync()
                    .setClusterEncryption(setCluster(project, "c2", EncryptionAtRestProvider.AWS));
            Thread.sleep(SETTLE_MS);

            assertRowLockable("project_encryption", project);
            assertOthersAnswerQuickly(project, released, "while a call waited on KMS");
            assertThat(enabling.isDone()).as("the first master key of c2 still waiting on KMS").isFalse();

            assertThat(enabling.get(30, TimeUnit.SECONDS).getEncryptionAtRestProvider())
                    .isEqualTo(EncryptionAtRestProvider.AWS);
        });
        assertThat(masterKeys(project, "c2")).hasSize(1);
    }

    @Test
    void updateProjectEncryption_newCmkWhileKmsSlow_rowsFreeAndOtherCallsAnswer() throws Exception {
        String project = seededProject();
        ByteString released = key(project, "db0");
        assertOthersAnswerQuickly(project, released, "with KMS quick and no call waiting (baseline)");
        String newCmk = kms.createKey();
        slowKms(() -> {
            ListenableFuture<ProjectEncryption> changing = service.projectsAsync()
                    .updateProjectEncryption(enableAws(project, cmk(newCmk)));
            Thread.sleep(SETTLE_MS);

            // Validating the new CMK: three KMS calls.
            assertRowLockable("project_encryption", project);
            assertOthersAnswerQuickly(project, released, "while a call waited on KMS");
            assertThat(changing.isDone()).as("the new CMK still being validated").isFalse();

            // Moving c1's master key to the new CMK: one more KMS call, once the change is recorded.
            awaitCmkChangeRecorded(project, Duration.ofSeconds(30));
            Thread.sleep(SETTLE_MS);
            assertRowLockable("master_key", project);
            assertRowLockable("project_encryption", project);
            assertThat(changing.isDone()).as("c1's master key still being moved").isFalse();

            ProjectEncryption changed = changing.get(30, TimeUnit.SECONDS);
            assertThat(changed.getAwsKms().getCustomerMasterKeyId()).isEqualTo(newCmk);
            assertThat(changed.hasCmkChange()).as("the CMK change finished").isFalse();
        });
        assertThat(masterKeys(project, "c1")).extracting(MasterKeyVersion::getWrappingKeyId).containsOnly(newCmk);
        assertThat(key(project, "db0")).as("the key released before the CMK change").isEqualTo(released);
    }

    @Test
    void updateProjectEncryption_twoNewCmksWithSameEtag_oneWinsOtherRefusedNothingHalfStored() throws Exception {
        String project = seededProject();
        String etag = read(project).getEtag();
        List<String> cmks = List.of(kms.createKey(), kms.createKey());
        List<Object> outcomes = new ArrayList<>();
        slowKms(() -> {
            List<Future<ProjectEncryption>> updates = new ArrayList<>();
            for (String cmk : cmks) {
                updates.add(service.projectsAsync().updateProjectEncryption(
                        enableAws(project, cmk(cmk)).toBuilder().setEtag(etag).build()));
            }
            for (Future<ProjectEncryption> update : updates) {
                try {
                    outcomes.add(update.get(60, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    outcomes.add(e.getCause());
                }
            }
        });

        List<ProjectEncryption> winners = outcomes.stream().filter(ProjectEncryption.class::isInstance)
                .map(ProjectEncryption.class::cast).toList();
        assertThat(winners).as("outcomes %s", outcomes).hasSize(1);
        assertThat(outcomes).filteredOn(StatusRuntimeException.class::isInstance).singleElement()
                .satisfies(e -> assertThat(Status.fromThrowable((Throwable) e).getCode())
                        .isIn(Status.Code.ABORTED, Status.Code.FAILED_PRECONDITION));
        String winner = winners.get(0).getAwsKms().getCustomerMasterKeyId();
        ProjectEncryption stored = read(project);
        assertThat(stored.getAwsKms().getCustomerMasterKeyId()).isEqualTo(winner);
        assertThat(stored.getEtag()).isEqualTo(winners.get(0).getEtag());
        assertThat(stored.hasCmkChange()).as("a CMK change left behind").isFalse();
        assertThat(masterKeys(project, "c1")).extracting(MasterKeyVersion::getWrappingKeyId).containsOnly(winner);
    }

    /** Runs {@code body} with every KMS answer 2 s late; the delay is removed whatever happens. */
    private static void slowKms(Body body) throws Exception {
        kms.addToxic("slow", "latency", "downstream", Map.of("latency", KMS_LATENCY_MS));
        try {
            body.run();
        } finally {
            kms.removeToxic("slow");
        }
    }

    /** Reads, a configuration write and the data plane on the same project, each within a 1 s deadline. */
    private static void assertOthersAnswerQuickly(String project, ByteString released, String when) {
        assertThat(timed("GetProjectEncryption", when, () -> service.projects().withDeadlineAfter(QUICK.toMillis(),
                TimeUnit.MILLISECONDS).getProjectEncryption(GetProjectEncryptionRequest.newBuilder()
                .setProjectId(project).build())).getProjectId()).isEqualTo(project);
        // c1 is encrypted already: a new rotation period needs no KMS, but the project's row lock.
        assertThat(timed("SetClusterEncryption c1", when, () -> service.clusters().withDeadlineAfter(QUICK.toMillis(),
                TimeUnit.MILLISECONDS).setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.AWS)
                .toBuilder().setRotationPeriodDays(45).build())).getRotationPeriodDays()).isEqualTo(45);
        assertThat(timed("GetDatabaseKey c1/db0", when, () -> consumer.databaseKeys().withDeadlineAfter(QUICK.toMillis(),
                TimeUnit.MILLISECONDS).getDatabaseKey(keyRequest(project, "db0"))).getKey()).isEqualTo(released);
    }

    /** The call's answer; how long it took is printed, for the figures of the run. */
    private static <T> T timed(String what, String when, Supplier<T> call) {
        long started = System.nanoTime();
        T answer = call.get();
        System.out.printf("SlowKmsHoldsNoLockIT: %s answered in %d ms %s%n", what,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), when);
        return answer;
    }

    /** Another connection locks the project's rows of {@code table} without waiting (and lets go at once). */
    private static void assertRowLockable(String table, String project) {
        String sql = "SELECT project_id FROM " + table + " WHERE project_id = ? FOR UPDATE NOWAIT";
        assertThatCode(() -> {
            try (Connection c = db.connect()) {
                c.setAutoCommit(false);
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setString(1, project);
                    try (ResultSet rows = s.executeQuery()) {
                        assertThat(rows.next()).as("a %s row of %s", table, project).isTrue();
                    }
                } finally {
                    c.rollback();
                }
            }
        }).as("locking %s's %s rows while a call waits on KMS", project, table).doesNotThrowAnyException();
    }

    private static void awaitCmkChangeRecorded(String project, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!cmkChangeRecorded(project)) {
            assertThat(System.nanoTime()).as("a CMK change of %s recorded", project).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static boolean cmkChangeRecorded(String project) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("SELECT 1 FROM cmk_change WHERE project_id = ?")) {
            s.setString(1, project);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** An AWS project under a CMK of its own, cluster c1 encrypted and database key db0 released. */
    private static String seededProject() {
        String project = "slowkms-" + UUID.randomUUID().toString().substring(0, 8);
        service.projects().updateProjectEncryption(enableAws(project, cmk(kms.createKey())));
        service.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.AWS));
        key(project, "db0");
        return project;
    }

    private static List<MasterKeyVersion> masterKeys(String project, String cluster) {
        return service.clusters().listClusterKeys(keys(project, cluster)).getMasterKeyVersionsList();
    }

    private static ProjectEncryption read(String project) {
        return service.projects().getProjectEncryption(GetProjectEncryptionRequest.newBuilder()
                .setProjectId(project).build());
    }

    private static ByteString key(String project, String database) {
        return consumer.databaseKeys().withDeadlineAfter(30, TimeUnit.SECONDS)
                .getDatabaseKey(keyRequest(project, database)).getKey();
    }

    private static GetDatabaseKeyRequest keyRequest(String project, String database) {
        return GetDatabaseKeyRequest.newBuilder().setProjectId(project).setClusterName("c1")
                .setDatabaseName(database).build();
    }

    private static AwsKmsConfig.Builder cmk(String keyArn) {
        return AwsKmsConfig.newBuilder().setCustomerMasterKeyId(keyArn).setRegion(Moto.REGION)
                .setAccessKeyId(ACCESS_KEY_ID).setSecretAccessKey(SECRET);
    }

    private interface Body {
        void run() throws Exception;
    }
}
