package dev.atrest.keyservice.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** What a CreateAccessToken request asks for, checked against every input rule at once. */
public record NewAccessToken(String name, Role role, Set<String> projectIds, boolean allProjects, int ttlDays) {
    public static final int MAX_PROJECTS = 100;
    public static final int MAX_TTL_DAYS = 3650;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /**
     * @param role null when the request named none
     * @throws InvalidArgumentException naming every broken rule
     */
    public static NewAccessToken validate(String name, Role role, List<String> projectIds, boolean allProjects,
                                          int ttlDays) {
        Violations violations = new Violations();
        if (name == null || name.isEmpty()) {
            violations.add("name", "is required");
        } else if (!NAME.matcher(name).matches()) {
            violations.add("name", "must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '.' or '-'");
        }
        if (role == null) {
            violations.add("role", "is required: ADMIN or KEY_CONSUMER");
        }
        checkProjects(violations, projectIds, allProjects);
        if (ttlDays < 0 || ttlDays > MAX_TTL_DAYS) {
            violations.add("ttl_days", "must be 0 (never expires) or 1 to " + MAX_TTL_DAYS);
        }
        violations.throwIfAny();
        return new NewAccessToken(name, role, Set.copyOf(projectIds), allProjects, ttlDays);
    }

    private static void checkProjects(Violations violations, List<String> projectIds, boolean allProjects) {
        if (allProjects && !projectIds.isEmpty()) {
            violations.add("project_ids", "must be empty when all_projects is set");
            return;
        }
        if (!allProjects && projectIds.isEmpty()) {
            violations.add("project_ids", "needs 1 to " + MAX_PROJECTS + " project ids, or set all_projects");
            return;
        }
        if (projectIds.size() > MAX_PROJECTS) {
            violations.add("project_ids", "must name at most " + MAX_PROJECTS + " projects");
            return;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < projectIds.size(); i++) {
            InputRules.requireId(violations, "project_ids[" + i + "]", projectIds.get(i));
            if (!seen.add(projectIds.get(i))) {
                violations.add("project_ids[" + i + "]", "repeats an earlier project id");
            }
        }
    }

    /** When a token created at {@code now} expires, or null when it never does. */
    public Instant expireTime(Instant now) {
        return ttlDays == 0 ? null : now.plus(Duration.ofDays(ttlDays));
    }
}
