package dev.atrest.keyservice.store;

import dev.atrest.keyservice.domain.KeyState;
import dev.atrest.keyservice.domain.MasterKeyVersion;
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
import java.time.Instant;

/** One master-key version of a cluster, stored only as root-key ciphertext. */
@Entity
@Table(name = "master_key")
public class MasterKeyEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "project_id", nullable = false, updatable = false)
    public String projectId;

    @Column(name = "cluster_name", nullable = false, updatable = false)
    public String clusterName;

    @Column(nullable = false, updatable = false)
    public int version;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public KeyState state;

    @Enumerated(EnumType.STRING)
    @Column(name = "wrapping_provider", nullable = false)
    public Provider wrappingProvider;

    @Column(name = "wrapping_key_id", nullable = false)
    public String wrappingKeyId;

    @Column(name = "wrapping_region")
    public String wrappingRegion;

    /** The project's root-key generation that wraps it (see project_encryption.root_key_generation). */
    @Column(name = "root_key_generation", nullable = false)
    public int rootKeyGeneration;

    @Column(name = "wrapped_key")
    public byte[] wrappedKey;

    @Column(name = "create_time", nullable = false, updatable = false)
    public Instant createTime;

    @Column(name = "update_time", nullable = false)
    public Instant updateTime;

    public MasterKeyVersion toDomain() {
        return new MasterKeyVersion(version, state, wrappingProvider, wrappingKeyId, createTime);
    }
}
