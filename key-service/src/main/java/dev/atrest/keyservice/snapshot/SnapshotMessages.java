package dev.atrest.keyservice.snapshot;

import dev.atrest.keyservice.domain.Snapshot;
import dev.atrest.keyservice.grpc.Timestamps;
import dev.atrest.v1.ListSnapshotsResponse;
import dev.atrest.v1.ReleaseSnapshotResponse;

/** Snapshot messages from the domain: versions and times only, never key material. */
final class SnapshotMessages {
    private SnapshotMessages() {}

    static dev.atrest.v1.Snapshot toMessage(Snapshot snapshot) {
        var message = dev.atrest.v1.Snapshot.newBuilder()
                .setSnapshotId(snapshot.id())
                .setProjectId(snapshot.projectId())
                .setClusterName(snapshot.clusterName())
                .setMasterKeyVersion(snapshot.masterKeyVersion())
                .putAllDatabaseKeyVersions(snapshot.databaseKeyVersions());
        Timestamps.set(snapshot.createTime(), message::setCreateTime);
        return message.build();
    }

    static ListSnapshotsResponse toMessage(SnapshotPage page) {
        ListSnapshotsResponse.Builder message = ListSnapshotsResponse.newBuilder()
                .setNextPageToken(page.nextPageToken());
        page.snapshots().forEach(snapshot -> message.addSnapshots(toMessage(snapshot)));
        return message.build();
    }

    static ReleaseSnapshotResponse toMessage(SnapshotRelease release) {
        return ReleaseSnapshotResponse.newBuilder()
                .setReleased(release.released())
                .addAllDestroyedKeys(release.destroyedKeys())
                .build();
    }
}
