package dev.atrest.keyservice.cluster;

import dev.atrest.keyservice.domain.ClusterEncryption;
import dev.atrest.keyservice.domain.ClusterKeys;
import dev.atrest.keyservice.domain.DatabaseKeyInfo;
import dev.atrest.keyservice.domain.MasterKeyVersion;
import dev.atrest.keyservice.domain.RotationStatus;
import dev.atrest.keyservice.grpc.Providers;
import dev.atrest.keyservice.grpc.Timestamps;
import dev.atrest.v1.ClusterEncryptionState;
import dev.atrest.v1.DatabaseKeyInfo.Builder;
import dev.atrest.v1.KeyState;
import dev.atrest.v1.ListClusterKeysResponse;

/** Cluster messages from the domain. No message here can carry key material. */
final class ClusterMessages {
    private ClusterMessages() {}

    static dev.atrest.v1.ClusterEncryption toMessage(ClusterEncryption cluster) {
        var message = dev.atrest.v1.ClusterEncryption.newBuilder()
                .setProjectId(cluster.projectId())
                .setClusterName(cluster.clusterName())
                .setEncryptionAtRestProvider(Providers.toMessage(cluster.provider()))
                .setState(cluster.encrypted() ? ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_ENABLED
                        : ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_DISABLED)
                .setMasterKeyVersion(cluster.masterKeyVersion())
                .setEtag(cluster.etag())
                .setGeneration(cluster.generation())
                .setRotationPeriodDays(cluster.rotationPolicy().periodDays())
                .setRotationInProgress(cluster.rotationInProgress());
        Timestamps.set(cluster.createTime(), message::setCreateTime);
        Timestamps.set(cluster.updateTime(), message::setUpdateTime);
        Timestamps.set(cluster.lastRotationTime(), message::setLastRotationTime);
        Timestamps.set(cluster.nextRotationTime(), message::setNextRotationTime);
        return message.build();
    }

    static dev.atrest.v1.RotationStatus toMessage(RotationStatus status) {
        var message = dev.atrest.v1.RotationStatus.newBuilder()
                .setProjectId(status.projectId())
                .setClusterName(status.clusterName())
                .setInProgress(status.inProgress())
                .setMasterKeyVersion(status.masterKeyVersion())
                .setRewrappedKeys(status.rewrappedKeys())
                .setTotalKeys(status.totalKeys())
                .setRotationPeriodDays(status.policy().periodDays())
                .setLastError(status.lastError() == null ? "" : status.lastError());
        Timestamps.set(status.startedTime(), message::setStartedTime);
        Timestamps.set(status.lastRotationTime(), message::setLastRotationTime);
        Timestamps.set(status.nextRotationTime(), message::setNextRotationTime);
        return message.build();
    }

    static ListClusterKeysResponse toMessage(ClusterKeys keys) {
        ListClusterKeysResponse.Builder response = ListClusterKeysResponse.newBuilder();
        for (MasterKeyVersion key : keys.masterKeys()) {
            var message = dev.atrest.v1.MasterKeyVersion.newBuilder()
                    .setVersion(key.version())
                    .setState(toMessage(key.state()))
                    .setProvider(Providers.toMessage(key.provider()))
                    .setWrappingKeyId(key.wrappingKeyId());
            Timestamps.set(key.createTime(), message::setCreateTime);
            response.addMasterKeyVersions(message);
        }
        for (DatabaseKeyInfo key : keys.databaseKeys()) {
            response.addDatabaseKeys(toMessage(key));
        }
        return response.build();
    }

    static dev.atrest.v1.DatabaseKeyInfo toMessage(DatabaseKeyInfo key) {
        Builder message = dev.atrest.v1.DatabaseKeyInfo.newBuilder()
                .setDatabaseName(key.databaseName())
                .setVersion(key.version())
                .setWrappedByMasterKeyVersion(key.wrappedByMasterKeyVersion())
                .setState(toMessage(key.state()));
        Timestamps.set(key.createTime(), message::setCreateTime);
        return message.build();
    }

    private static KeyState toMessage(dev.atrest.keyservice.domain.KeyState state) {
        return switch (state) {
            case ACTIVE -> KeyState.KEY_STATE_ACTIVE;
            case RETIRED -> KeyState.KEY_STATE_RETIRED;
            case DESTROYED -> KeyState.KEY_STATE_DESTROYED;
        };
    }
}
