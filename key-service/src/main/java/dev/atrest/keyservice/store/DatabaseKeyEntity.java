package dev.atrest.keyservice.store;

import dev.atrest.keyservice.domain.DatabaseKeyInfo;
import dev.atrest.keyservice.domain.KeyState;
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

/** One database key, stored only wrapped under a master-key version of its cluster. */
@Entity
@Table(name = "database_key")
public class DatabaseKeyEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "project_id", nullable = false, updatable = false)
    public String projectId;

    @Column(name = "cluster_name", nullable = false, updatable = false)
    public String clusterName;

    @Column(name = "database_name", nullable = false, updatable = false)
    public String databaseName;

    @Column(nullable = false, updatable = false)
    public int version;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public KeyState state;

    @Column(name = "master_key_version", nullable = false)
    public int masterKeyVersion;

    @Column(name = "wrapped_key")
    public byte[] wrappedKey;

    @Column(name = "create_time", nullable = false, updatable = false)
    public Instant createTime;

    @Column(name = "update_time", nullable = false)
    public Instant updateTime;

    public DatabaseKeyInfo toDomain() {
        return new DatabaseKeyInfo(databaseName, version, masterKeyVersion, state, createTime);
    }
}
