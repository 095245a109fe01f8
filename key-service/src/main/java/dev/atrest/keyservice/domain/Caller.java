package dev.atrest.keyservice.domain;

import java.util.Objects;
import java.util.Set;

/**
 * An authenticated identity and what it holds: roles on a set of projects, or on all of them.
 *
 * @param principal "token:&lt;id&gt;", "certificate:&lt;common name&gt;" or "development"; names the caller in
 *                  the audit log and in messages, never a secret
 */
public record Caller(String principal, Set<Role> roles, Set<String> projectIds, boolean allProjects) {
    /** Names the service's own jobs (rotation, CMK checks) in the audit log. */
    public static final String SERVICE = "service";
    /** Names a call that presented no valid identity, in the audit log. */
    public static final String ANONYMOUS = "anonymous";

    public Caller {
        Objects.requireNonNull(principal, "principal");
        roles = Set.copyOf(roles);
        projectIds = Set.copyOf(projectIds);
    }

    /** Whether this identity holds {@code role} on {@code projectId}. */
    public boolean holds(Role role, String projectId) {
        return roles.contains(role) && (allProjects || projectIds.contains(projectId));
    }

    /** Whether this identity holds {@code role} on every project, present and future. */
    public boolean holdsEverywhere(Role role) {
        return roles.contains(role) && allProjects;
    }
}
