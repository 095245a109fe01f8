package dev.atrest.keyservice.support;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import dev.atrest.keyservice.domain.FieldViolation;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.AccessServiceGrpc;
import dev.atrest.v1.AlertServiceGrpc;
import dev.atrest.v1.AuditServiceGrpc;
import dev.atrest.v1.ClusterEncryptionServiceGrpc;
import dev.atrest.v1.CreateAccessTokenRequest;
import dev.atrest.v1.CreateAccessTokenResponse;
import dev.atrest.v1.DatabaseKeyServiceGrpc;
import dev.atrest.v1.ProjectEncryptionServiceGrpc;
import dev.atrest.v1.Role;
import dev.atrest.v1.SnapshotServiceGrpc;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Real gRPC stubs on the running test service, and readers for the error details it sends. Every stub
 * handed out carries the suite's admin token (the committed test bootstrap token), as a real client
 * would; {@link #as(String)} and {@link #anonymous()} build stubs with another token or none.
 */
public final class Api {
    /** The service's gRPC test port (application.properties reads the same variable). */
    public static final int PORT = Integer.parseInt(System.getenv().getOrDefault("ATREST_TEST_GRPC_PORT", "19090"));
    /** The test profile's bootstrap token file (application.properties names the same). */
    public static final Path ADMIN_TOKEN_FILE = Path.of("src/test/resources/auth/test-admin-token");
    /** The suite's all-projects admin token. */
    public static final String ADMIN_TOKEN = LeakCanaries.remembered("admin token", readToken(ADMIN_TOKEN_FILE));
    private static final ManagedChannel CHANNEL =
            ManagedChannelBuilder.forAddress("localhost", PORT).usePlaintext().build();
    private static final Client ADMIN = new Client(CHANNEL, new BearerToken(ADMIN_TOKEN));

    private Api() {}

    public static ProjectEncryptionServiceGrpc.ProjectEncryptionServiceBlockingStub projects() {
        return ADMIN.projects();
    }

    public static ClusterEncryptionServiceGrpc.ClusterEncryptionServiceBlockingStub clusters() {
        return ADMIN.clusters();
    }

    /**
     * SnapshotService as an all-projects KEY_CONSUMER: registering and releasing snapshots is the data
     * plane's (backup agents'), not an administrator's.
     */
    public static SnapshotServiceGrpc.SnapshotServiceBlockingStub snapshots() {
        return Consumer.CLIENT.snapshots();
    }

    /** As an all-projects KEY_CONSUMER: the data plane is not the admin's. */
    public static DatabaseKeyServiceGrpc.DatabaseKeyServiceBlockingStub databaseKeys() {
        return Consumer.CLIENT.databaseKeys();
    }

    public static AlertServiceGrpc.AlertServiceBlockingStub alerts() {
        return ADMIN.alerts();
    }

    public static AccessServiceGrpc.AccessServiceBlockingStub access() {
        return ADMIN.access();
    }

    /** Stubs that send {@code secret} as their bearer token (well-formed or not). */
    public static Client as(String secret) {
        return new Client(CHANNEL, new BearerToken(secret));
    }

    /** Stubs that send no credentials at all. */
    public static Client anonymous() {
        return new Client(CHANNEL, null);
    }

    /** A new token (created by the admin) with {@code role} on {@code projectIds}, or on all projects when none. */
    public static CreateAccessTokenResponse createToken(Role role, String... projectIds) {
        return access().createAccessToken(CreateAccessTokenRequest.newBuilder()
                .setName(uniqueId("test")).setRole(role).addAllProjectIds(List.of(projectIds))
                .setAllProjects(projectIds.length == 0).build());
    }

    /** Stubs for a new token with {@code role} on {@code projectIds} (all projects when none). */
    public static Client withNewToken(Role role, String... projectIds) {
        return as(createToken(role, projectIds).getSecret());
    }

    /** An all-projects KEY_CONSUMER token, created on first use by the admin. */
    private static final class Consumer {
        static final Client CLIENT = withNewToken(Role.KEY_CONSUMER);
    }

    public static String readToken(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static AuditServiceGrpc.AuditServiceBlockingStub audit() {
        return ADMIN.audit();
    }

    public static HealthCheckResponse.ServingStatus health() {
        return HealthGrpc.newBlockingStub(CHANNEL).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    }

    /** A new project (id from {@code prefix}) on the LOCAL root key, with {@code cluster} encrypted under it. */
    public static String encryptedLocalProject(String prefix, String cluster) {
        String project = uniqueId(prefix);
        projects().updateProjectEncryption(Requests.enableLocal(project));
        clusters().setClusterEncryption(Requests.setCluster(project, cluster, EncryptionAtRestProvider.LOCAL));
        return project;
    }

    /** A project id no other test (or earlier run on the same external database) uses. */
    public static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static List<String> violatedFields(StatusRuntimeException e) {
        return detail(e, BadRequest.class).getFieldViolationsList().stream()
                .map(BadRequest.FieldViolation::getField).toList();
    }

    public static ErrorInfo errorInfo(StatusRuntimeException e) {
        return detail(e, ErrorInfo.class);
    }

    private static <T extends com.google.protobuf.Message> T detail(StatusRuntimeException e, Class<T> type) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        if (status == null) {
            throw new AssertionError("no google.rpc.Status details in " + e);
        }
        try {
            for (var any : status.getDetailsList()) {
                if (any.is(type)) {
                    return any.unpack(type);
                }
            }
        } catch (InvalidProtocolBufferException bad) {
            throw new AssertionError(bad);
        }
        throw new AssertionError("no " + type.getSimpleName() + " detail in " + status);
    }
}
