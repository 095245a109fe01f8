package dev.atrest.keyservice.support;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import dev.atrest.v1.AlertServiceGrpc;
import dev.atrest.v1.ClusterEncryptionServiceGrpc;
import dev.atrest.v1.DatabaseKeyServiceGrpc;
import dev.atrest.v1.ProjectEncryptionServiceGrpc;
import dev.atrest.v1.SnapshotServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Real gRPC stubs on the running test service, and readers for the error details it sends. */
public final class Api {
    /** The service's gRPC test port (application.properties reads the same variable). */
    public static final int PORT = Integer.parseInt(System.getenv().getOrDefault("ATREST_TEST_GRPC_PORT", "19090"));
    private static final ManagedChannel CHANNEL =
            ManagedChannelBuilder.forAddress("localhost", PORT).usePlaintext().build();

    private Api() {}

    public static ProjectEncryptionServiceGrpc.ProjectEncryptionServiceBlockingStub projects() {
        return ProjectEncryptionServiceGrpc.newBlockingStub(CHANNEL).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    public static ClusterEncryptionServiceGrpc.ClusterEncryptionServiceBlockingStub clusters() {
        return ClusterEncryptionServiceGrpc.newBlockingStub(CHANNEL).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    public static SnapshotServiceGrpc.SnapshotServiceBlockingStub snapshots() {
        return SnapshotServiceGrpc.newBlockingStub(CHANNEL).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    public static DatabaseKeyServiceGrpc.DatabaseKeyServiceBlockingStub databaseKeys() {
        return DatabaseKeyServiceGrpc.newBlockingStub(CHANNEL).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    public static AlertServiceGrpc.AlertServiceBlockingStub alerts() {
        return AlertServiceGrpc.newBlockingStub(CHANNEL).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    public static HealthCheckResponse.ServingStatus health() {
        return HealthGrpc.newBlockingStub(CHANNEL).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus();
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
