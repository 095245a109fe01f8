package dev.atrest.keyservice.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A bearer token as stored: what it grants and for how long. Never holds the secret.
 *
 * @param expireTime null: never expires
 * @param revokeTime null: not revoked
 * @param createdBy  the principal that created it
 */
public record AccessToken(String tokenId, String name, Role role, Set<String> projectIds, boolean allProjects,
                          Instant createTime, Instant expireTime, Instant revokeTime, String createdBy) {
    public AccessToken {
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(role, "role");
        projectIds = Set.copyOf(projectIds);
    }

    public String principal() {
        return "token:" + tokenId;
    }

    public boolean expiredAt(Instant now) {
        return expireTime != null && !now.isBefore(expireTime);
    }

    public boolean revoked() {
        return revokeTime != null;
    }

    public boolean activeAt(Instant now) {
        return !revoked() && !expiredAt(now);
    }

    public Caller caller() {
        return new Caller(principal(), Set.of(role), projectIds, allProjects);
    }
}
