package dev.atrest.keyservice.store;

import dev.atrest.keyservice.domain.Snapshot;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** A live snapshot of a cluster and the key versions it recorded. Released snapshots are deleted. */
@Entity
@Table(name = "cluster_snapshot")
public class SnapshotEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "project_id", nullable = false, updatable = false)
    public String projectId;

    @Column(name = "cluster_name", nullable = false, updatable = false)
    public String clusterName;

    @Column(name = "snapshot_id", nullable = false, updatable = false)
    public String snapshotId;

    @Column(name = "master_key_version", nullable = false, updatable = false)
    public int masterKeyVersion;

    /** Database name → the database-key version its data is encrypted with. */
    @ElementCollection
    @CollectionTable(name = "cluster_snapshot_database_key", joinColumns = @JoinColumn(name = "snapshot_row_id"))
    @MapKeyColumn(name = "database_name")
    @Column(name = "version", nullable = false)
    public Map<String, Integer> databaseKeyVersions = new HashMap<>();

    @Column(name = "create_time", nullable = false, updatable = false)
    public Instant createTime;

    public Snapshot toDomain() {
        return new Snapshot(snapshotId, projectId, clusterName, masterKeyVersion, databaseKeyVersions, createTime);
    }
}
