package dev.atrest.keyservice.grpc;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.atrest.keyservice.domain.Role;
import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.BearerToken;
import dev.atrest.testsupport.FaultTally;
import dev.atrest.v1.CreateAccessTokenResponse;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetProjectEncryptionRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;
import io.grpc.stub.ClientCalls;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Thousands of seeded random and malformed messages to every RPC of every atrest.v1 service, sent as raw bytes
 * so that even encodings no stub would produce reach the service. Each must end in a deliberate status (never
 * INTERNAL, UNKNOWN or DATA_LOSS); calls that were refused store nothing; the service is healthy afterwards.
 * Bounded by default (3000 messages); {@code -Dfault.full=true} sends 30000, {@code -Dfault.trials=N} N, and
 * {@code -Dfault.seed=S} replays a run. Figures go to target/fault-results/grpc-fuzz.tsv.
 */
@QuarkusTest
class GrpcFuzzTest {
    private static final Set<Status.Code> NEVER = Set.of(Status.Code.INTERNAL, Status.Code.UNKNOWN,
            Status.Code.DATA_LOSS, Status.Code.UNIMPLEMENTED, Status.Code.DEADLINE_EXCEEDED);
    private static final MethodDescriptor.Marshaller<byte[]> RAW_BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    @Inject
    DataSource dataSource;

    /** One RPC as the fuzzer calls it: its raw-bytes method, its request type, and the token its rule needs. */
    private record Rpc(MethodDescriptor<byte[], byte[]> method, Descriptors.Descriptor requestType,
                       ResourcePattern resource, BearerToken token) {}

    @Test
    void everyRpc_randomAndMalformedMessages_deliberateStatusNothingStoredServiceHealthy() {
        long seed = Long.getLong("fault.seed", System.nanoTime());
        int messages = Integer.getInteger("fault.trials", Boolean.getBoolean("fault.full") ? 30_000 : 3_000);
        Random random = new Random(seed);
        List<String> knownIds = existingProjectAndCluster();
        List<Rpc> rpcs = everyRpc();
        FuzzedMessages fuzzed = new FuzzedMessages(random, knownIds);
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", Api.PORT).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
        Map<Status.Code, Integer> outcomes = new EnumMap<>(Status.Code.class);
        Set<String> writtenBy = new HashSet<>();
        List<String> failures = new ArrayList<>();
        StoredRows before = StoredRows.read(dataSource);
        try (FaultTally tally = FaultTally.begin("grpc-fuzz", seed)) {
            for (int i = 0; i < messages; i++) {
                Rpc rpc = rpcs.get(i < rpcs.size() ? i : random.nextInt(rpcs.size()));
                boolean malformed = random.nextInt(5) == 0;
                byte[] request = malformed ? fuzzed.malformed(rpc.requestType()) : fuzzed.wellFormed(rpc.requestType());
                tally.trial();
                tally.faults(malformed ? 1 : 0);
                Status status = call(channel, rpc, request, writtenBy);
                outcomes.merge(status.getCode(), 1, Integer::sum);
                String trial = "message " + i + " to " + rpc.method().getBareMethodName();
                try {
                    tally.verify(trial, () -> assertThat(status.getCode()).as(trial + ": " + status).isNotIn(NEVER));
                } catch (AssertionError unexpected) {
                    failures.add(unexpected.getMessage());
                }
            }
            channel.shutdownNow();
            System.out.println("grpc-fuzz outcomes (seed " + seed + "): " + outcomes);
            tally.verify("nothing stored by refused calls", () -> assertThat(StoredRows.read(dataSource)
                    .without(writtenBy)).isEqualTo(before.without(writtenBy)));
            tally.verify("healthy after", this::serviceStillWorks);
            assertThat(failures).as("seed " + seed).isEmpty();
        }
    }

    /** Sends the bytes; when the call is accepted, notes the project or token it may have written. */
    private static Status call(ManagedChannel channel, Rpc rpc, byte[] request, Set<String> writtenBy) {
        byte[] response;
        try {
            response = ClientCalls.blockingUnaryCall(channel, rpc.method(),
                    CallOptions.DEFAULT.withCallCredentials(rpc.token()).withDeadlineAfter(30, TimeUnit.SECONDS),
                    request);
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
        try {
            DynamicMessage sent = DynamicMessage.parseFrom(rpc.requestType(), request);
            rpc.resource().projectId(sent).ifPresent(writtenBy::add);
            String resource = rpc.resource().describe(sent);
            if (resource.startsWith("tokens/")) {
                writtenBy.add(resource.substring("tokens/".length()));
            }
            if (rpc.method().getBareMethodName().equals("CreateAccessToken")) {
                writtenBy.add(CreateAccessTokenResponse.parseFrom(response).getToken().getTokenId());
            }
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("the service accepted bytes that are not a " + rpc.requestType().getName(), e);
        }
        return Status.OK;
    }

    /** Every method of every atrest.v1 service, with an admin token or, where only the data plane may call, a consumer's. */
    private static List<Rpc> everyRpc() {
        BearerToken admin = new BearerToken(Api.ADMIN_TOKEN);
        BearerToken consumer = new BearerToken(Api.createToken(dev.atrest.v1.Role.KEY_CONSUMER).getSecret());
        List<Rpc> rpcs = new ArrayList<>();
        for (io.grpc.ServiceDescriptor service : ContractServices.all()) {
            Descriptors.ServiceDescriptor proto =
                    ((ProtoServiceDescriptorSupplier) service.getSchemaDescriptor()).getServiceDescriptor();
            for (Descriptors.MethodDescriptor method : proto.getMethods()) {
                String name = MethodDescriptor.generateFullMethodName(proto.getFullName(), method.getName());
                MethodDeclaration declared = MethodDeclarations.of(method).orElseThrow();
                boolean adminMay = declared.rule().anyOf().contains(Role.ADMIN);
                rpcs.add(new Rpc(MethodDescriptor.<byte[], byte[]>newBuilder(RAW_BYTES, RAW_BYTES)
                        .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(name).build(),
                        method.getInputType(), declared.resource(), adminMay ? admin : consumer));
            }
        }
        assertThat(rpcs).hasSizeGreaterThanOrEqualTo(23);
        return rpcs;
    }

    /** A project with LOCAL encryption and an encrypted cluster, so fuzzed calls that name them go deeper. */
    private static List<String> existingProjectAndCluster() {
        String project = Api.uniqueId("fuzz");
        Api.projects().updateProjectEncryption(enableLocal(project));
        Api.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));
        return List.of(project, "c1", "orders");
    }

    private void serviceStillWorks() {
        assertThat(Api.health()).isEqualTo(ServingStatus.SERVING);
        String project = Api.uniqueId("after-fuzz");
        Api.projects().updateProjectEncryption(enableLocal(project));
        assertThat(Api.projects().getProjectEncryption(GetProjectEncryptionRequest.newBuilder()
                .setProjectId(project).build()).getValid()).isTrue();
    }
}
