package dev.atrest.keyservice.store;

import dev.atrest.keyservice.domain.ClusterEncryption;
import dev.atrest.keyservice.domain.ClusterState;
import dev.atrest.keyservice.domain.Provider;
import dev.atrest.keyservice.domain.RotationPolicy;
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
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.OptimisticLock;

// Only changed columns are written: rotation updates its own columns without touching the settings.
@DynamicUpdate
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

    // Rotation is the service's own doing, not a change of the cluster's settings: it must not change
    // the etag, or a rotation would make every conditional update fail.
    @OptimisticLock(excluded = true)
    @Column(name = "master_key_version", nullable = false)
    public int masterKeyVersion;

    @Column(name = "rotation_period_days", nullable = false)
    public int rotationPeriodDays = RotationPolicy.DEFAULT_PERIOD_DAYS;

    @OptimisticLock(excluded = true)
    @Column(name = "master_key_activated_time")
    public Instant masterKeyActivatedTime;

    @OptimisticLock(excluded = true)
    @Column(name = "rotation_started_time")
    public Instant rotationStartedTime;

    @OptimisticLock(excluded = true)
    @Column(name = "last_rotation_time")
    public Instant lastRotationTime;

    @OptimisticLock(excluded = true)
    @Column(name = "rotation_error")
    public String rotationError;

    /** The incarnation of the cluster's encryption; see ClusterEncryption#generation. */
    @Column(name = "encryption_generation", nullable = false)
    public long encryptionGeneration;

    @Version
    @Column(name = "row_version", nullable = false)
    public long rowVersion;

    @Column(name = "create_time", nullable = false, updatable = false)
    public Instant createTime;

    @Column(name = "update_time", nullable = false)
    public Instant updateTime;

    public ClusterEncryption toDomain() {
        return new ClusterEncryption(projectId, clusterName, provider, state, masterKeyVersion, rowVersion,
                createTime, updateTime, new RotationPolicy(rotationPeriodDays), masterKeyActivatedTime,
                lastRotationTime, rotationStartedTime != null, encryptionGeneration);
    }
}
