package dev.atrest.keyservice.support;

import dev.atrest.v1.AccessServiceGrpc;
import dev.atrest.v1.AlertServiceGrpc;
import dev.atrest.v1.AuditServiceGrpc;
import dev.atrest.v1.ClusterEncryptionServiceGrpc;
import dev.atrest.v1.DatabaseKeyServiceGrpc;
import dev.atrest.v1.ProjectEncryptionServiceGrpc;
import dev.atrest.v1.SnapshotServiceGrpc;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.CallCredentials;
import io.grpc.Channel;
import io.grpc.stub.AbstractStub;
import java.util.concurrent.TimeUnit;

/** Blocking stubs of every atrest.v1 service on one channel, all sending one set of credentials (or none). */
public final class Client {
    private final Channel channel;
    private final CallCredentials credentials;

    /** @param credentials null: send none */
    public Client(Channel channel, CallCredentials credentials) {
        this.channel = channel;
        this.credentials = credentials;
    }

    /** What the gRPC health check says now (it needs no credentials). */
    public ServingStatus health() {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    }

    public ProjectEncryptionServiceGrpc.ProjectEncryptionServiceBlockingStub projects() {
        return ready(ProjectEncryptionServiceGrpc.newBlockingStub(channel));
    }

    public ClusterEncryptionServiceGrpc.ClusterEncryptionServiceBlockingStub clusters() {
        return ready(ClusterEncryptionServiceGrpc.newBlockingStub(channel));
    }

    public SnapshotServiceGrpc.SnapshotServiceBlockingStub snapshots() {
        return ready(SnapshotServiceGrpc.newBlockingStub(channel));
    }

    public AlertServiceGrpc.AlertServiceBlockingStub alerts() {
        return ready(AlertServiceGrpc.newBlockingStub(channel));
    }

    public AccessServiceGrpc.AccessServiceBlockingStub access() {
        return ready(AccessServiceGrpc.newBlockingStub(channel));
    }

    public AuditServiceGrpc.AuditServiceBlockingStub audit() {
        return ready(AuditServiceGrpc.newBlockingStub(channel));
    }

    public DatabaseKeyServiceGrpc.DatabaseKeyServiceBlockingStub databaseKeys() {
        return ready(DatabaseKeyServiceGrpc.newBlockingStub(channel));
    }

    /**
     * The same credentials on future stubs, for tests that need async or streaming variants; every secret the
     * stub sends or receives is remembered for the leak scan.
     */
    public <S extends AbstractStub<S>> S ready(S stub) {
        S withDeadline = stub.withDeadlineAfter(30, TimeUnit.SECONDS).withInterceptors(LeakCanaries.RECORDER);
        return credentials == null ? withDeadline : withDeadline.withCallCredentials(credentials);
    }
}
