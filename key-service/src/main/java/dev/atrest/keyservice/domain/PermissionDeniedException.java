package dev.atrest.keyservice.domain;

/**
 * The caller is who it says, but lacks the role the call needs on the project it names.
 *
 * @see AccessPolicy
 */
public final class PermissionDeniedException extends AtrestException {
    private final String requiredRole;
    private final String projectId;

    /**
     * @param requiredRole the role (or roles, "ADMIN or KEY_CONSUMER") the call needs
     * @param projectId    the project it needs it on, "*" for all projects, "" when the request named none
     */
    public PermissionDeniedException(String message, String requiredRole, String projectId) {
        super(message);
        this.requiredRole = requiredRole;
        this.projectId = projectId;
    }

    public String requiredRole() {
        return requiredRole;
    }

    public String projectId() {
        return projectId;
    }
}
