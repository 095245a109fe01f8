package dev.atrest.keyservice.store;

import dev.atrest.keyservice.domain.AccessToken;
import dev.atrest.keyservice.domain.Role;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/** A bearer token: its SHA-256, what it grants and the MAC over both; never the secret. */
@Entity
@Table(name = "access_token")
public class AccessTokenEntity extends PanacheEntityBase {
    @Id
    @Column(name = "token_id", updatable = false)
    public String tokenId;

    @Column(name = "token_sha256", nullable = false, updatable = false)
    public String tokenSha256;

    @Column(nullable = false, updatable = false)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false)
    public Role role;

    @Column(name = "all_projects", nullable = false, updatable = false)
    public boolean allProjects;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "access_token_project", joinColumns = @JoinColumn(name = "token_id"))
    @Column(name = "project_id", nullable = false)
    public Set<String> projectIds = new HashSet<>();

    @Column(name = "create_time", nullable = false, updatable = false)
    public Instant createTime;

    @Column(name = "expire_time", updatable = false)
    public Instant expireTime;

    @Column(name = "revoke_time")
    public Instant revokeTime;

    @Column(name = "created_by", nullable = false, updatable = false)
    public String createdBy;

    /** HMAC of what the row grants (access/TokenMacs); null only before the one-time integrity upgrade. */
    @Column(name = "row_mac", updatable = false)
    public byte[] rowMac;

    public static AccessTokenEntity of(AccessToken token, String tokenSha256, byte[] rowMac) {
        AccessTokenEntity row = new AccessTokenEntity();
        row.tokenId = token.tokenId();
        row.tokenSha256 = tokenSha256;
        row.name = token.name();
        row.role = token.role();
        row.allProjects = token.allProjects();
        row.projectIds = new HashSet<>(token.projectIds());
        row.createTime = token.createTime();
        row.expireTime = token.expireTime();
        row.revokeTime = token.revokeTime();
        row.createdBy = token.createdBy();
        row.rowMac = rowMac.clone();
        return row;
    }

    public AccessToken toDomain() {
        return new AccessToken(tokenId, name, role, projectIds, allProjects, createTime, expireTime, revokeTime,
                createdBy);
    }
}
