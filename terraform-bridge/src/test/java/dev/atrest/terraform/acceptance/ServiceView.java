package dev.atrest.terraform.acceptance;

import dev.atrest.v1.AuditRecord;
import dev.atrest.v1.AuditServiceGrpc;
import dev.atrest.v1.ClusterEncryption;
import dev.atrest.v1.ClusterEncryptionServiceGrpc;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetClusterEncryptionRequest;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ListAuditRecordsRequest;
import dev.atrest.v1.ListAuditRecordsResponse;
import dev.atrest.v1.LocalKeyConfig;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.ProjectEncryptionServiceGrpc;
import dev.atrest.v1.SetClusterEncryptionRequest;
import dev.atrest.v1.UpdateProjectEncryptionRequest;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The key service as the tests see it, over gRPC as its ADMIN: what a scenario asserts is what the service
 * stored, not what the CLI printed; and the remote objects a scenario needs before its CLI runs.
 */
final class ServiceView {

    static final String SET_CLUSTER = "atrest.v1.ClusterEncryptionService/SetClusterEncryption";

    private final ManagedChannel channel;

    ServiceView(ManagedChannel channel) {
        this.channel = channel;
    }

    ProjectEncryption project(String projectId) {
        return ProjectEncryptionServiceGrpc.newBlockingStub(channel)
                .getProjectEncryption(GetProjectEncryptionRequest.newBuilder().setProjectId(projectId).build());
    }

    ClusterEncryption cluster(String projectId, String clusterName) {
        return ClusterEncryptionServiceGrpc.newBlockingStub(channel).getClusterEncryption(GetClusterEncryptionRequest
                .newBuilder().setProjectId(projectId).setClusterName(clusterName).build());
    }

    /** Encrypts {@code projectId} with local key {@code keyId}, then each of {@code clusters}, as another tool would. */
    void encryptLocally(String projectId, String keyId, List<String> clusters) {
        ProjectEncryptionServiceGrpc.newBlockingStub(channel).updateProjectEncryption(UpdateProjectEncryptionRequest
                .newBuilder().setProjectEncryption(ProjectEncryption.newBuilder().setProjectId(projectId)
                        .setLocalKey(LocalKeyConfig.newBuilder().setEnabled(true).setKeyId(keyId))).build());
        for (String cluster : clusters) {
            ClusterEncryptionServiceGrpc.newBlockingStub(channel).setClusterEncryption(SetClusterEncryptionRequest
                    .newBuilder().setProjectId(projectId).setClusterName(cluster)
                    .setEncryptionAtRestProvider(EncryptionAtRestProvider.LOCAL).build());
        }
    }

    /** Every audit record on {@code projectId} or under it, oldest first. */
    List<AuditRecord> auditRecords(String projectId) {
        List<AuditRecord> records = new ArrayList<>();
        long after = 0;
        while (true) {
            ListAuditRecordsResponse page = AuditServiceGrpc.newBlockingStub(channel).listAuditRecords(
                    ListAuditRecordsRequest.newBuilder().setProjectId(projectId).setAfterSequence(after)
                            .setPageSize(1000).build());
            records.addAll(page.getRecordsList());
            if (page.getNextAfterSequence() == 0) {
                return records;
            }
            after = page.getNextAfterSequence();
        }
    }

    /** The audit records of calls {@code action} on exactly {@code resource} (e.g. "projects/p/clusters/c"). */
    List<AuditRecord> auditRecords(String projectId, String action, String resource) {
        return auditRecords(projectId).stream()
                .filter(record -> record.getAction().equals(action) && record.getResource().equals(resource))
                .toList();
    }
}
