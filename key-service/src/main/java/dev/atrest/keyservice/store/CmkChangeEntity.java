package dev.atrest.keyservice.store;

import dev.atrest.keyservice.domain.Provider;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A CMK change that has not finished: how to reach the root key the project is leaving. The row exists
 * exactly while some master key of the project is still wrapped under that root key.
 */
@Entity
@Table(name = "cmk_change")
public class CmkChangeEntity extends PanacheEntityBase {
    @Id
    @Column(name = "project_id", nullable = false, updatable = false)
    public String projectId;

    @Column(name = "from_generation", nullable = false, updatable = false)
    public int fromGeneration;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_provider", nullable = false, updatable = false)
    public Provider fromProvider;

    @Column(name = "from_aws_cmk_id", updatable = false)
    public String fromAwsCmkId;

    @Column(name = "from_aws_region", updatable = false)
    public String fromAwsRegion;

    @Column(name = "from_aws_role_arn", updatable = false)
    public String fromAwsRoleArn;

    @Column(name = "from_aws_external_id", updatable = false)
    public String fromAwsExternalId;

    @Column(name = "from_aws_access_key_id", updatable = false)
    public String fromAwsAccessKeyId;

    /** Sealed under the service's seal key with the project as AAD, exactly as the project row held it. */
    @Column(name = "from_aws_secret_sealed", updatable = false)
    public byte[] fromAwsSecretSealed;

    @Column(name = "from_local_key_id", updatable = false)
    public String fromLocalKeyId;

    @Column(name = "started_time", nullable = false, updatable = false)
    public Instant startedTime;

    @Column(name = "last_error")
    public String lastError;
}
