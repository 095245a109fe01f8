package dev.atrest.keyservice.store;

import dev.atrest.keyservice.domain.ClusterEncryption;
import dev.atrest.keyservice.domain.ClusterState;
import dev.atrest.keyservice.domain.Provider;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

@Entity
@Table(name = "cluster_encryption")
public class ClusterEncryptionEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "project_id", nullable = false, updatable = false)
    public String projectId;

    @Column(name = "cluster_name", nullable = false, updatable = false)
    public String clusterName;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Provider provider;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ClusterState state;

    @Column(name = "master_key_version", nullable = false)
    public int masterKeyVersion;

    @Version
    @Column(name = "row_version", nullable = false)
    public long rowVersion;

    @Column(name = "create_time", nullable = false, updatable = false)
    public Instant createTime;

    @Column(name = "update_time", nullable = false)
    public Instant updateTime;

    public ClusterEncryption toDomain() {
        return new ClusterEncryption(projectId, clusterName, provider, state, masterKeyVersion, rowVersion,
                createTime, updateTime);
    }
}
