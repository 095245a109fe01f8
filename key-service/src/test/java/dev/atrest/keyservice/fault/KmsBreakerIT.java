package dev.atrest.keyservice.fault;

import static dev.atrest.keyservice.support.Requests.enableAws;
import static dev.atrest.keyservice.support.Requests.enableLocal;
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
import dev.atrest.v1.Role;
import dev.atrest.v1.ValidateProjectEncryptionRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The KMS circuit breaker on the packaged service, KMS behind toxiproxy → moto. KMS stalls (toxiproxy's
 * timeout toxic: connections open, no data) and 50 GetDatabaseKey calls ask for a key whose master key is in
 * no cache: once without the breaker (atrest.kms.breaker.failure-threshold=0), each waiting out the KMS
 * timeouts, then with it, where only the first calls wait and the rest are refused at once with RetryInfo.
 * Meanwhile a cached master key and a LOCAL root key keep serving. KMS back, the probe closes the breaker
 * and the same key is served again, without a restart; a disabled CMK is KMS's answer, never an outage.
 * Figures: target/fault-results/KmsBreakerIT.tsv (the fault report's line) and KmsBreakerIT-figures.txt.
 */
class KmsBreakerIT {
    private static final int CALLS = 50;
    private static final int THRESHOLD = 3;
    /**
     * What one KMS call may take here (two attempts of 300 ms; moto answers in tens of ms): what each call waits
     * without the breaker. Short, so that the 50 calls without it stay within the suite's budget.
     */
    private static final Duration KMS_CALL_TIMEOUT = Duration.ofMillis(600);
    /**
     * The default. Longer than the refused calls take (about 1.5 s), so none of them is a half-open trial and
     * their answers are predictable.
     */
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);
    private static final String STALL = "stall";

    @Test
    void kmsStalls_afterThresholdCallsRefusedAtOnceWithRetryInfo_probeClosesOnceBack() {
        FaultRun run = FaultRun.of("KmsBreakerIT", 0);
        ItDatabase db = ItDatabase.shared();
        KeyRows rows = new KeyRows(db);
        try (FaultTally tally = run.tally(); KmsPath kms = KmsPath.open()) {
            tally.trial();
            String cold = project("cold");
            String local = project("local");
            String disabled = project("disabled");
            String disabledCmk = kms.createKey();
            String consumerToken;
            Map<String, ByteString> released;
            KmsOutageCalls baseline;
            // Without the breaker, keys kept for 1 s only: the cold project's master key is soon in no cache.
            try (ServiceProcess off = service("kms-breaker-off", run, db, kms, 0, "1s").start()) {
                consumerToken = off.admin().access().createAccessToken(CreateAccessTokenRequest.newBuilder()
                        .setName("kms-breaker-consumer").setRole(Role.KEY_CONSUMER).setAllProjects(true).build())
                        .getSecret();
                Client consumer = off.as(consumerToken);
                released = Map.of(
                        cold, seed(off, consumer, cold, aws(kms.createKey()), EncryptionAtRestProvider.AWS),
                        local, seed(off, consumer, local, null, EncryptionAtRestProvider.LOCAL),
                        disabled, seed(off, consumer, disabled, aws(disabledCmk), EncryptionAtRestProvider.AWS));
                sleep(Duration.ofMillis(1_500)); // the master keys out of the 1 s cache
                stall(kms);
                tally.faults(1);
                baseline = KmsOutageCalls.run(CALLS, () -> key(consumer, cold));
                kms.removeToxic(STALL);
            }
            tally.verify("without the breaker", () -> assertThat(baseline.refused())
                    .as("calls refused by a breaker that is off").isEmpty());

            String validatedBefore = rows.lastValidated(cold);
            try (ServiceProcess on = service("kms-breaker-on", run, db, kms, THRESHOLD, "1m").start()) {
                Client consumer = on.as(consumerToken);
                // The start-up check of every CMK, done before KMS stalls, so that the calls below are all there is
                // (a first KMS call in a new JVM can outlast the tight timeouts here: then it found KMS unreachable).
                Awaits.until("the start-up check of " + cold + "'s CMK", Duration.ofSeconds(90),
                        () -> !Objects.equals(rows.lastValidated(cold), validatedBefore)
                                || log(on).contains("project " + cold + ": alert KMS_UNREACHABLE opened"));
                String warm = project("warm");
                ByteString warmKey = seed(on, consumer, warm, aws(kms.createKey()), EncryptionAtRestProvider.AWS);

                stall(kms);
                tally.faults(1);
                KmsOutageCalls withBreaker = KmsOutageCalls.run(CALLS, () -> key(consumer, cold));
                tally.verify("with the breaker, KMS stalled", () -> {
                    assertRefusedAtOnce(withBreaker, kms);
                    assertThat(withBreaker.total()).as("the 50 calls with the breaker, against %s without", baseline.total())
                            .isLessThan(baseline.total().dividedBy(2));
                    assertThat(key(consumer, warm)).as("a key under a cached master key").isEqualTo(warmKey);
                    assertThat(key(consumer, local)).as("a key under a LOCAL root key").isEqualTo(released.get(local));
                });

                // KMS back: the background probe, not a call, must find it (no call comes until the log says so).
                long restored = System.nanoTime();
                kms.removeToxic(STALL);
                Awaits.until("the probe closing the breaker", Duration.ofSeconds(30),
                        () -> log(on).contains("answers again; calls that need it go through"));
                Duration recovery = Duration.ofNanos(System.nanoTime() - restored);
                tally.verify("KMS back", () -> {
                    assertThat(log(on)).contains("KMS at " + kms.serviceEndpoint() + " (" + Moto.REGION + "): ")
                            .contains("calls in a row could not reach it");
                    long lost = key(consumer, cold).equals(released.get(cold)) ? 0 : 1;
                    tally.keysLost(lost);
                    assertThat(lost).as("the cold key served after the outage differs from the one released").isZero();
                });
                tally.verify("a disabled CMK", () -> disabledCmkIsAnAnswer(on, consumer, disabled, disabledCmk));
                figures(baseline, withBreaker, recovery);
            }
        }
    }

    /** Only the first calls wait out KMS; every other one is refused at once, naming the endpoint and when to retry. */
    private static void assertRefusedAtOnce(KmsOutageCalls calls, KmsPath kms) {
        assertThat(calls.answers).allSatisfy(a -> assertThat(a.code()).isEqualTo(Status.Code.UNAVAILABLE));
        // At most the threshold: fewer if the start-up check of the CMKs was still failing when they came.
        assertThat(calls.waited()).as("calls that waited out KMS").hasSizeLessThanOrEqualTo(THRESHOLD);
        assertThat(calls.refused()).as("calls refused at once").hasSize(CALLS - calls.waited().size());
        assertThat(calls.answers.subList(calls.waited().size(), CALLS)).as("the refused calls come last")
                .allMatch(KmsOutageCalls.Answer::refusedByBreaker);
        // Not every refusal: the first runs code no call ran before in this JVM (a C1-only one, on a busy machine).
        List<Duration> refusalTimes = calls.refused().stream().map(KmsOutageCalls.Answer::took).sorted().toList();
        assertThat(refusalTimes.get(refusalTimes.size() / 2)).as("the median refusal's time")
                .isLessThan(KMS_CALL_TIMEOUT.dividedBy(4));
        assertThat(calls.refused()).allSatisfy(refused -> {
            assertThat(refused.retryAfter()).hasValueSatisfying(delay -> assertThat(delay)
                    .isPositive().isLessThanOrEqualTo(PROBE_INTERVAL));
            assertThat(refused.refusal().orElseThrow().getMetadataMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "endpoint", kms.serviceEndpoint().toString(), "region", Moto.REGION));
        });
    }

    /**
     * KMS saying the key is disabled is an answer, not an outage: validation after validation (more than the
     * threshold) is answered with the verdict, never refused, and the key's clusters are locked out as before.
     */
    private static void disabledCmkIsAnAnswer(ServiceProcess service, Client consumer, String project, String cmk) {
        Moto.setKeyEnabled(cmk, false);
        try {
            for (int i = 0; i <= THRESHOLD + 1; i++) {
                var checked = service.projects().validateProjectEncryption(
                        ValidateProjectEncryptionRequest.newBuilder().setProjectId(project).build());
                assertThat(checked.getValid()).as("validation %d of a disabled CMK", i).isFalse();
                assertThat(checked.getValidationError()).contains("Disabled");
            }
            assertThatThrownBy(() -> key(consumer, project)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
        } finally {
            Moto.setKeyEnabled(cmk, true);
        }
    }

    /**
     * Calls until it is not UNAVAILABLE, waiting as each refusal's RetryInfo says (a client's part): until the
     * breaker lets it through, or past a first KMS call of a new JVM that outlasted the tight timeouts here.
     */
    private static <T> T untilAvailable(Supplier<T> call) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                return call.get();
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(KmsOutageCalls.answer(Duration.ZERO, e).retryAfter().orElse(Duration.ofMillis(200)));
            }
        }
    }

    /** Requests reach toxiproxy and go no further: no answer, no close, until the toxic is removed. */
    private static void stall(KmsPath kms) {
        kms.addToxic(STALL, "timeout", "upstream", Map.of("timeout", 0L));
    }

    private static ServiceProcess service(String name, FaultRun run, ItDatabase db, KmsPath kms, int threshold,
                                          String cacheTtl) {
        return new ServiceProcess(name, db, run.dataDir, run.sealKey, "1m")
                .with("atrest.aws.endpoint-override", kms.serviceEndpoint().toString())
                .with("atrest.aws.api-call-attempt-timeout", KMS_CALL_TIMEOUT.dividedBy(2).toMillis() + "ms")
                .with("atrest.aws.api-call-timeout", KMS_CALL_TIMEOUT.toMillis() + "ms")
                .with("atrest.aws.max-attempts", "2")
                .with("atrest.kms.breaker.failure-threshold", Integer.toString(threshold))
                .with("atrest.kms.breaker.probe-interval", PROBE_INTERVAL.toMillis() + "ms")
                .with("atrest.kms.breaker.max-backoff", "10s")
                .with("atrest.cache.master-key-ttl", cacheTtl)
                .with("atrest.validation.interval", "1h");
    }

    /** The project enabled (AWS under {@code cmk}, or LOCAL), cluster c1 encrypted, db0's key released: that key. */
    private static ByteString seed(ServiceProcess service, Client consumer, String project, AwsKmsConfig.Builder cmk,
                                   EncryptionAtRestProvider provider) {
        untilAvailable(() -> service.projects().updateProjectEncryption(
                cmk == null ? enableLocal(project) : enableAws(project, cmk)));
        untilAvailable(() -> service.clusters().setClusterEncryption(setCluster(project, "c1", provider)));
        return untilAvailable(() -> key(consumer, project));
    }

    private static ByteString key(Client consumer, String project) {
        return consumer.databaseKeys().getDatabaseKey(GetDatabaseKeyRequest.newBuilder().setProjectId(project)
                .setClusterName("c1").setDatabaseName("db0").build()).getKey();
    }

    private static AwsKmsConfig.Builder aws(String cmk) {
        return AwsKmsConfig.newBuilder().setCustomerMasterKeyId(cmk).setRegion(Moto.REGION)
                .setAccessKeyId("AKIAKMSBREAKERTEST01").setSecretAccessKey("kms-breaker-test-secret-access-key");
    }

    private static String project(String what) {
        return "kmsb-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void figures(KmsOutageCalls baseline, KmsOutageCalls withBreaker, Duration recovery) {
        String figures = String.join("\n",
                "calls\t" + CALLS,
                "kms_call_timeout_ms\t" + KMS_CALL_TIMEOUT.toMillis(),
                "failure_threshold\t" + THRESHOLD,
                "without_breaker_total_ms\t" + baseline.total().toMillis(),
                "with_breaker_total_ms\t" + withBreaker.total().toMillis(),
                "ratio\t" + String.format("%.1f", (double) baseline.total().toMillis()
                        / Math.max(1, withBreaker.total().toMillis())),
                "with_breaker_waited\t" + withBreaker.waited().size(),
                "with_breaker_refused_at_once\t" + withBreaker.refused().size(),
                "with_breaker_slowest_refusal_ms\t" + withBreaker.refused().stream()
                        .mapToLong(a -> a.took().toMillis()).max().orElse(0),
                "recovery_after_kms_back_ms\t" + recovery.toMillis()) + "\n";
        System.out.print("KmsBreakerIT figures:\n" + figures);
        try {
            Path dir = Path.of(System.getProperty("fault.results.dir", "target/fault-results"));
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("KmsBreakerIT-figures.txt"), figures);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String log(ServiceProcess service) {
        try {
            return Files.readString(service.log());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
