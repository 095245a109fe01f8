package dev.atrest.keyservice.fault;

import static dev.atrest.keyservice.support.Requests.enableAws;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.atrest.keyservice.support.Client;
import dev.atrest.keyservice.support.ItDatabase;
import dev.atrest.keyservice.support.Moto;
import dev.atrest.keyservice.support.ServiceProcess;
import dev.atrest.testsupport.Awaits;
import dev.atrest.testsupport.FaultTally;
import dev.atrest.v1.AwsKmsConfig;
import dev.atrest.v1.CreateAccessTokenRequest;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.Role;
import dev.atrest.v1.ValidateProjectEncryptionRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The packaged service with KMS behind a real TCP fault proxy (toxiproxy → moto): slow, stalled, reset,
 * unreachable, or gone. While the fault lasts, database keys already released keep being served from
 * the master-key cache, and one whose master key is not cached fails fast with UNAVAILABLE; configuration
 * calls that need KMS (a CMK change, validation, a cluster's first master key) fail fast with UNAVAILABLE
 * naming KMS and write nothing; the service stays healthy.
 * Once the fault is removed the same calls succeed and every key is the one released before.
 * A trial is one fault; each run of five trials injects every fault once, in a seeded random order.
 * -Dfault.full=true runs four times as many, -Dfault.trials=N any number.
 */
class KmsFaultIT {
    private static final int BOUNDED_TRIALS = KmsFault.values().length;
    private static final int FULL_TRIALS = 4 * BOUNDED_TRIALS;
    private static final int DATABASES = 3;
    /** Generous: a correctness bound (the call gives up rather than hangs), not a benchmark. */
    private static final Duration FAIL_FAST = Duration.ofSeconds(15);
    private static final String ACCESS_KEY_ID = "AKIAKMSFAULTTEST0001";
    private static final String SECRET = "kms-fault-test-secret-access-key";

    @Test
    void kmsFaults_cachedKeysServedConfigurationFailsFastNothingWritten_recoversAfter() {
        FaultRun run = FaultRun.of("KmsFaultIT", BOUNDED_TRIALS, FULL_TRIALS);
        ItDatabase db = ItDatabase.shared();
        KeyRows rows = new KeyRows(db);
        try (FaultTally tally = run.tally();
             KmsPath kms = KmsPath.open();
             ServiceProcess service = new ServiceProcess("kms-fault", db, run.dataDir, run.sealKey, "1m")
                     .with("atrest.aws.endpoint-override", kms.serviceEndpoint().toString())
                     // Only the start-up check of the CMKs during the run; see the wait for it below.
                     .with("atrest.validation.interval", "1h").start()) {
            String consumerToken = service.admin().access().createAccessToken(CreateAccessTokenRequest.newBuilder()
                    .setName("kms-fault-consumer").setRole(Role.KEY_CONSUMER).setAllProjects(true).build()).getSecret();
            // Keys released, then a restart: their master key is in no cache, so serving them needs KMS.
            String coldProject = newProject();
            Map<String, ByteString> cold = seed(service, service.as(consumerToken), kms.createKey(), coldProject);
            String validatedBefore = rows.lastValidated(coldProject);
            service.stop();
            service.start();
            // The start-up check of every CMK must be over before a trial points the proxy at a moto of its own:
            // there the cold project's CMK does not exist, and the check would rightly judge it invalid.
            Awaits.until("the start-up check of " + coldProject + "'s CMK", Duration.ofSeconds(90),
                    () -> !Objects.equals(rows.lastValidated(coldProject), validatedBefore));
            Client consumer = service.as(consumerToken);
            List<KmsFault> faults = new ArrayList<>();
            for (int trial = 0; trial < run.trials; trial++) {
                if (faults.isEmpty()) {
                    faults.addAll(List.of(KmsFault.values()));
                    Collections.shuffle(faults, run.random);
                }
                KmsFault fault = faults.remove(0);
                String name = run.describe(trial) + " " + fault;
                tally.trial();
                tally.verify(name, () -> {
                    try {
                        trial(name, fault, run, kms, service, consumer, rows, tally, coldProject);
                    } finally {
                        kms.useSharedMoto(); // whatever the trial left, the next one starts on the shared moto
                    }
                });
            }
            tally.verify("the keys first read after the faults", () -> {
                long lost = lost(consumer, coldProject, cold);
                tally.keysLost(lost);
                assertThat(lost).as("database keys of %s no longer the bytes released before", coldProject).isZero();
            });
        }
    }

    private static void trial(String name, KmsFault fault, FaultRun run, KmsPath kms, ServiceProcess service,
                              Client consumer, KeyRows rows, FaultTally tally, String coldProject) {
        if (fault.needsOwnMoto()) {
            kms.useDedicatedMoto();
        }
        String project = newProject();
        String newCmk = kms.createKey();
        Map<String, ByteString> released = seed(service, consumer, kms.createKey(), project);
        String before = rows.snapshot(project);
        // The comparison below means something only if the hierarchy is there to compare.
        assertThat(before).as("stored rows of %s", project).contains("project_encryption(", "cluster_encryption(",
                "master_key(", "database_key(");

        String what = name + " (" + fault.inject(kms, run.random) + ")";
        tally.faults(1);
        try {
            assertCachedKeysServed(what, consumer, project, released);
            failsFast(what + ": a database key whose master key is not cached",
                    () -> key(consumer, coldProject, "db0"));
            configurationFailsFast(what, service, project, newCmk);
            assertThat(rows.snapshot(project)).as("%s: rows after the failed calls", what).isEqualTo(before);
            assertCachedKeysServed(what + ", after the failed calls", consumer, project, released);
            assertThat(service.health()).as("%s: health", what).isEqualTo(ServingStatus.SERVING);
        } finally {
            fault.remove(kms);
        }

        if (fault.needsOwnMoto()) {
            // The restarted moto knows none of the project's CMKs: what must work again is KMS itself.
            String other = newProject();
            KmsOutageCalls.afterRefusals(() -> service.projects().updateProjectEncryption(
                    enableAws(other, cmk(kms.createKey()))));
            recovered(what, service, other, kms.createKey(), tally);
        } else {
            recovered(what, service, project, newCmk, tally);
        }
        long lost = lost(consumer, project, released);
        tally.keysLost(lost);
        assertThat(lost).as("%s: database keys no longer the bytes released before", what).isZero();
    }

    /** The configuration calls that need KMS, all refused quickly while it cannot be reached. */
    private static void configurationFailsFast(String what, ServiceProcess service, String project, String newCmk) {
        failsFast(what + ": CMK change",
                () -> service.projects().updateProjectEncryption(enableAws(project, cmk(newCmk))));
        failsFast(what + ": validation", () -> service.projects().validateProjectEncryption(validate(project)));
        failsFast(what + ": enabling a cluster", () -> service.clusters().setClusterEncryption(
                setCluster(project, "c2", EncryptionAtRestProvider.AWS)));
    }

    /** An AWS project under {@code cmk} with cluster c1 and its database keys released: those keys. */
    private static Map<String, ByteString> seed(ServiceProcess service, Client consumer, String cmk, String project) {
        service.projects().updateProjectEncryption(enableAws(project, cmk(cmk)));
        service.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.AWS));
        Map<String, ByteString> released = new LinkedHashMap<>();
        for (int i = 0; i < DATABASES; i++) {
            released.put("db" + i, key(consumer, project, "db" + i));
        }
        return released;
    }

    private static String newProject() {
        return "kmsf-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * The calls that failed now succeed, and what they acknowledged is stored. The first waits as a client would
     * while the KMS breaker (opened by the failed calls) refuses, until its probe finds KMS back.
     */
    private static void recovered(String what, ServiceProcess service, String project, String cmk, FaultTally tally) {
        ProjectEncryption changed = KmsOutageCalls.afterRefusals(
                () -> service.projects().updateProjectEncryption(enableAws(project, cmk(cmk))));
        ProjectEncryption validated = service.projects().validateProjectEncryption(validate(project));
        service.clusters().setClusterEncryption(setCluster(project, "c2", EncryptionAtRestProvider.AWS));
        ProjectEncryption read = service.projects().getProjectEncryption(
                GetProjectEncryptionRequest.newBuilder().setProjectId(project).build());
        if (!read.getAwsKms().getCustomerMasterKeyId().equals(cmk)) {
            tally.writesLost(1);
        }
        assertThat(changed.getAwsKms().getCustomerMasterKeyId()).as("%s: CMK change after recovery", what)
                .isEqualTo(cmk);
        assertThat(validated.getValid()).as("%s: validation after recovery: %s", what, validated.getValidationError())
                .isTrue();
        assertThat(read.getAwsKms().getCustomerMasterKeyId()).as("%s: the acknowledged CMK change", what)
                .isEqualTo(cmk);
    }

    private static void assertCachedKeysServed(String what, Client consumer, String project,
                                               Map<String, ByteString> released) {
        released.forEach((database, bytes) -> assertThat(key(consumer, project, database))
                .as("%s: cached key of %s", what, database).isEqualTo(bytes));
    }

    /** Database keys that are no longer the bytes released before. */
    private static long lost(Client consumer, String project, Map<String, ByteString> released) {
        return released.entrySet().stream()
                .filter(e -> !key(consumer, project, e.getKey()).equals(e.getValue())).count();
    }

    private static void failsFast(String what, Runnable call) {
        long started = System.nanoTime();
        assertThatThrownBy(call::run).as(what).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).as("%s: %s", what, e.getStatus()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(e.getStatus().getDescription()).as(what).contains("KMS");
        });
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("KmsFaultIT: %s failed with UNAVAILABLE in %d ms%n", what, took.toMillis());
        assertThat(took).as("%s: how long the failing call took", what).isLessThan(FAIL_FAST);
    }

    private static ByteString key(Client consumer, String project, String database) {
        return consumer.databaseKeys().getDatabaseKey(GetDatabaseKeyRequest.newBuilder().setProjectId(project)
                .setClusterName("c1").setDatabaseName(database).build()).getKey();
    }

    private static ValidateProjectEncryptionRequest validate(String project) {
        return ValidateProjectEncryptionRequest.newBuilder().setProjectId(project).build();
    }

    private static AwsKmsConfig.Builder cmk(String keyArn) {
        return AwsKmsConfig.newBuilder().setCustomerMasterKeyId(keyArn).setRegion(Moto.REGION)
                .setAccessKeyId(ACCESS_KEY_ID).setSecretAccessKey(SECRET);
    }
}
