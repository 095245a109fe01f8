package dev.atrest.keyservice.support;

import dev.atrest.v1.AwsKmsConfig;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.ListClusterKeysRequest;
import dev.atrest.v1.LocalKeyConfig;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.SetClusterEncryptionRequest;
import dev.atrest.v1.UpdateProjectEncryptionRequest;

/** Builders for the requests tests send most. */
public final class Requests {
    private Requests() {}

    public static UpdateProjectEncryptionRequest enableLocal(String projectId) {
        return enableLocal(projectId, "default");
    }

    public static UpdateProjectEncryptionRequest enableLocal(String projectId, String keyId) {
        return UpdateProjectEncryptionRequest.newBuilder().setProjectEncryption(ProjectEncryption.newBuilder()
                .setProjectId(projectId)
                .setLocalKey(LocalKeyConfig.newBuilder().setEnabled(true).setKeyId(keyId))).build();
    }

    public static UpdateProjectEncryptionRequest enableAws(String projectId, AwsKmsConfig.Builder aws) {
        return UpdateProjectEncryptionRequest.newBuilder().setProjectEncryption(ProjectEncryption.newBuilder()
                .setProjectId(projectId)
                .setAwsKms(aws.setEnabled(true))).build();
    }

    public static SetClusterEncryptionRequest setCluster(String projectId, String cluster, EncryptionAtRestProvider provider) {
        return SetClusterEncryptionRequest.newBuilder().setProjectId(projectId).setClusterName(cluster)
                .setEncryptionAtRestProvider(provider).build();
    }

    public static ListClusterKeysRequest keys(String projectId, String cluster) {
        return ListClusterKeysRequest.newBuilder().setProjectId(projectId).setClusterName(cluster).build();
    }
}
