package dev.atrest.keyservice.store;

import dev.atrest.keyservice.domain.CmkAgePolicy;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.OptimisticLock;

@DynamicUpdate
@Entity
@Table(name = "project_encryption")
public class ProjectEncryptionEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "project_id", nullable = false, updatable = false)
    public String projectId;

    public boolean enabled;

    /** The project's current root key; null when none is stored. */
    @Embedded
    public RootKeyColumns rootKey;

    /**
     * The key the configured root key resolved to when it was last stored or moved to (KMS's key ARN, or
     * "local:ID"); null until first recorded. Not part of the etag: a health check records it for rows
     * stored before it existed, which is no change of configuration.
     */
    @OptimisticLock(excluded = true)
    @Column(name = "root_key_arn")
    public String rootKeyArn;

    // The verdict of the last CMK check is health, not configuration: recording it must not change the
    // etag, or a periodic validation would make every conditional update fail.
    @OptimisticLock(excluded = true)
    public boolean valid;

    @OptimisticLock(excluded = true)
    @Column(name = "validation_error")
    public String validationError;

    @Column(name = "cmk_last_changed_time")
    public Instant cmkLastChangedTime;

    @OptimisticLock(excluded = true)
    @Column(name = "last_validated_time")
    public Instant lastValidatedTime;

    @Column(name = "cmk_rotation_alert_days", nullable = false)
    public int cmkRotationAlertDays = CmkAgePolicy.DEFAULT_ALERT_DAYS;

    /** Increases with every CMK change; each master key records the generation that wraps it. */
    @Column(name = "root_key_generation", nullable = false)
    public int rootKeyGeneration = 1;

    /** The incarnation of the project's encryption; see ProjectEncryption#generation. */
    @Column(name = "encryption_generation", nullable = false)
    public long encryptionGeneration;

    @Version
    @Column(name = "row_version", nullable = false)
    public long rowVersion;

    @Column(name = "create_time", nullable = false, updatable = false)
    public Instant createTime;

    @Column(name = "update_time", nullable = false)
    public Instant updateTime;
}
