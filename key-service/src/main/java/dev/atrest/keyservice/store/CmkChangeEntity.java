package dev.atrest.keyservice.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.AttributeOverride;
import jakarta.persistence.AttributeOverrides;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
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

    /** The root key the project is leaving, exactly as its row held it (the secret sealed with the project as AAD). */
    @Embedded
    @AttributeOverrides({
            @AttributeOverride(name = "provider", column = @Column(name = "from_provider", nullable = false, updatable = false)),
            @AttributeOverride(name = "awsCmkId", column = @Column(name = "from_aws_cmk_id", updatable = false)),
            @AttributeOverride(name = "awsRegion", column = @Column(name = "from_aws_region", updatable = false)),
            @AttributeOverride(name = "awsRoleArn", column = @Column(name = "from_aws_role_arn", updatable = false)),
            @AttributeOverride(name = "awsExternalId", column = @Column(name = "from_aws_external_id", updatable = false)),
            @AttributeOverride(name = "awsAccessKeyId", column = @Column(name = "from_aws_access_key_id", updatable = false)),
            @AttributeOverride(name = "awsSecretSealed", column = @Column(name = "from_aws_secret_sealed", updatable = false)),
            @AttributeOverride(name = "localKeyId", column = @Column(name = "from_local_key_id", updatable = false))
    })
    public RootKeyColumns from;

    @Column(name = "started_time", nullable = false, updatable = false)
    public Instant startedTime;

    @Column(name = "last_error")
    public String lastError;
}
