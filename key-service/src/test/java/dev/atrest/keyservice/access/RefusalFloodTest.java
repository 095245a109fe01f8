package dev.atrest.keyservice.access;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.BearerToken;
import dev.atrest.keyservice.support.Client;
import dev.atrest.keyservice.support.RefusalLimitsProfile;
import dev.atrest.v1.AuditRecord;
import dev.atrest.v1.DatabaseKeyServiceGrpc.DatabaseKeyServiceBlockingStub;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.ListAuditRecordsRequest;
import dev.atrest.v1.ListAuditRecordsResponse;
import dev.atrest.v1.Role;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * 10,000 calls with made-up tokens from four threads at the real service: the limiter engages
 * (RESOURCE_EXHAUSTED with RetryInfo), the audit log grows by a handful of records, not ten thousand,
 * and a legitimate key consumer calling from the same address all the while is never refused. Its
 * latency before and during the flood is printed, not asserted (the machine is shared and noisy).
 */
@QuarkusTest
@TestProfile(RefusalLimitsProfile.class)
class RefusalFloodTest {
    private static final int FLOOD_CALLS = 10_000;
    private static final int FLOOD_THREADS = 4;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    RefusalGuard refusals;

    @Test
    void flood_badTokens_limitedCoalescedAndTheLegitimateCallerUnharmed() throws Exception {
        String project = Api.uniqueId("flood");
        Api.projects().updateProjectEncryption(enableLocal(project));
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));
        GetDatabaseKeyRequest request = GetDatabaseKeyRequest.newBuilder().setProjectId(project)
                .setClusterName("c1").setDatabaseName("orders").build();
        DatabaseKeyServiceBlockingStub consumer = Api.withNewToken(Role.KEY_CONSUMER, project).databaseKeys();
        List<Long> before = timedCalls(consumer, request, 300, new AtomicBoolean(true));

        Map<Status.Code, AtomicLong> answers = new ConcurrentHashMap<>();
        AtomicReference<StatusRuntimeException> throttled = new AtomicReference<>();
        AtomicBoolean flooding = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(FLOOD_THREADS + 1);
        Future<List<Long>> during = threads.submit(() -> timedCalls(consumer, request, Integer.MAX_VALUE, flooding));
        long started = System.nanoTime();
        List<Future<?>> flood = new ArrayList<>();
        for (int t = 0; t < FLOOD_THREADS; t++) {
            flood.add(threads.submit(() -> flood(request, FLOOD_CALLS / FLOOD_THREADS, answers, throttled)));
        }
        for (Future<?> f : flood) {
            f.get(5, TimeUnit.MINUTES);
        }
        double floodSeconds = (System.nanoTime() - started) / 1e9;
        flooding.set(false);
        List<Long> duringFlood = during.get(1, TimeUnit.MINUTES);
        threads.shutdown();

        System.out.printf("refusal flood: %d calls in %.1f s (%.0f/s): %s; legitimate GetDatabaseKey p50/p99 before"
                        + " %.2f/%.2f ms (%d calls), during %.2f/%.2f ms (%d calls)%n", FLOOD_CALLS, floodSeconds,
                FLOOD_CALLS / floodSeconds, answers, percentile(before, 50), percentile(before, 99), before.size(),
                percentile(duringFlood, 50), percentile(duringFlood, 99), duringFlood.size());
        assertThat(answers.get(Status.Code.RESOURCE_EXHAUSTED)).as("the limiter engaged").isNotNull();
        long refusedOnTheirMerits = answers.getOrDefault(Status.Code.UNAUTHENTICATED, new AtomicLong()).get();
        assertThat(refusedOnTheirMerits).as("at most the burst and the rate let through")
                .isLessThanOrEqualTo(RefusalLimitsProfile.BURST + (long) Math.ceil(floodSeconds * RefusalLimitsProfile.RATE_PER_SECOND) + 5);
        com.google.rpc.Status details = StatusProto.fromThrowable(throttled.get());
        assertThat(details.getDetailsList()).filteredOn(any -> any.is(RetryInfo.class)).singleElement()
                .satisfies(any -> assertThat(Durations.toMillis(any.unpack(RetryInfo.class).getRetryDelay())).isPositive());
        assertThat(details.getDetailsList()).filteredOn(any -> any.is(ErrorInfo.class)).singleElement()
                .satisfies(any -> assertThat(any.unpack(ErrorInfo.class).getReason()).isEqualTo("TOO_MANY_REFUSALS"));
        assertThat(duringFlood).as("the legitimate caller kept calling, never refused").isNotEmpty();

        refusals.closeWindows();
        List<AuditRecord> refusalRecords = records(project).stream().filter(r -> !r.getOutcome().equals("OK")).toList();
        System.out.printf("refusal flood: %d audit records for the refusals: %s%n", refusalRecords.size(),
                refusalRecords.stream().map(r -> r.getOutcome() + ": " + r.getDetail()).toList());
        assertThat(refusalRecords).as("10,000 refusals coalesced per caller, method and outcome")
                .hasSizeBetween(2, 8)
                .extracting(AuditRecord::getOutcome).contains("UNAUTHENTICATED", "RESOURCE_EXHAUSTED");
        assertThat(refusalRecords).anySatisfy(r -> assertThat(r.getDetail()).containsPattern("^\\d+ more refusals like this"));
    }

    /** Calls until {@code keepGoing} turns false (at least once) or {@code count} calls; each must succeed. */
    private static List<Long> timedCalls(DatabaseKeyServiceBlockingStub stub, GetDatabaseKeyRequest request, int count,
                                         AtomicBoolean keepGoing) {
        List<Long> micros = new ArrayList<>();
        do {
            long start = System.nanoTime();
            stub.getDatabaseKey(request); // throws, failing the test, if ever refused
            micros.add((System.nanoTime() - start) / 1_000);
        } while (micros.size() < count && keepGoing.get());
        return micros;
    }

    private static void flood(GetDatabaseKeyRequest request, int calls, Map<Status.Code, AtomicLong> answers,
                              AtomicReference<StatusRuntimeException> throttled) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", Api.PORT).usePlaintext().build();
        try {
            for (int i = 0; i < calls; i++) {
                Client attacker = new Client(channel, new BearerToken(madeUpToken()));
                try {
                    attacker.databaseKeys().getDatabaseKey(request);
                    answers.computeIfAbsent(Status.Code.OK, c -> new AtomicLong()).incrementAndGet();
                } catch (StatusRuntimeException refused) {
                    answers.computeIfAbsent(refused.getStatus().getCode(), c -> new AtomicLong()).incrementAndGet();
                    if (refused.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                        throttled.set(refused);
                    }
                }
            }
        } finally {
            channel.shutdownNow();
        }
    }

    /** Well-formed, so that without the limiter each one would be looked up in the database. */
    private static String madeUpToken() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return "atrest_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    private static List<AuditRecord> records(String project) {
        List<AuditRecord> records = new ArrayList<>();
        long next = 0;
        do {
            ListAuditRecordsResponse page = Api.audit().listAuditRecords(ListAuditRecordsRequest.newBuilder()
                    .setProjectId(project).setAfterSequence(next).setPageSize(1000).build());
            records.addAll(page.getRecordsList());
            next = page.getNextAfterSequence();
        } while (next != 0);
        return records;
    }

    private static double percentile(List<Long> micros, int percentile) {
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1)) / 1000.0;
    }
}
