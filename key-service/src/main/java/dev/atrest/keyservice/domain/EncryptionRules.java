package dev.atrest.keyservice.domain;

import dev.atrest.keyservice.domain.PreconditionFailedException.Reason;
import java.util.List;
import java.util.Map;

/** The platform's rules for turning encryption on and off. Pure functions of the stored state. */
public final class EncryptionRules {
    private EncryptionRules() {}

    /**
     * The generation after an enable: switching encryption on from off starts a new incarnation, so a
     * client holding the old generation (a deposed Terraform object) can tell that what it would turn off
     * is no longer what it turned on. A change in place (rotation, another CMK, another period) keeps it.
     */
    public static long generationAfterEnable(boolean wasEnabled, long generation) {
        return wasEnabled ? generation : generation + 1;
    }

    /** A cluster may use {@code requested} only if its project has that provider enabled. */
    public static void checkClusterMayEnable(ProjectEncryption project, Provider requested) {
        if (project == null || !project.enabled()) {
            throw new PreconditionFailedException(Reason.ENCRYPTION_AT_REST_NOT_ENABLED,
                    "encryption at rest is not enabled for the project: enable it on the project before its clusters",
                    project == null ? Map.of() : Map.of("project_id", project.projectId()));
        }
        if (project.provider() != requested) {
            throw new PreconditionFailedException(Reason.INVALID_ENCRYPTION_AT_REST_PROVIDER,
                    "the project's encryption-at-rest provider is " + project.provider() + ", not " + requested,
                    Map.of("project_provider", project.provider().name(), "requested_provider", requested.name()));
        }
    }

    /** An encrypted cluster must be set to NONE before it can move to another provider. */
    public static void checkClusterProviderChange(ClusterEncryption current, Provider requested) {
        if (current.encrypted() && requested != Provider.NONE && requested != current.provider()) {
            throw new PreconditionFailedException(Reason.CANNOT_CHANGE_ENCRYPTION_AT_REST_PROVIDER,
                    "cluster " + current.clusterName() + " is encrypted with " + current.provider()
                            + ": set its provider to NONE before changing it to " + requested,
                    Map.of("current_provider", current.provider().name()));
        }
    }

    /** A project cannot be disabled while any of its clusters is encrypted; the error names them. */
    public static void checkProjectMayDisable(String projectId, List<String> encryptedClusters) {
        if (!encryptedClusters.isEmpty()) {
            String names = String.join(",", encryptedClusters);
            throw new PreconditionFailedException(Reason.CANNOT_DISABLE_ENCRYPTION_AT_REST,
                    "cannot disable encryption at rest for project " + projectId
                            + " while these clusters are encrypted: " + names
                            + "; set their provider to NONE first",
                    Map.of("clusters", names));
        }
    }

    /** A project's provider cannot change under encrypted clusters (its CMK can; that re-wraps keys). */
    public static void checkProjectProviderChange(
            ProjectEncryption current, Provider requested, List<String> encryptedClusters) {
        if (current != null && current.enabled() && current.provider() != requested && !encryptedClusters.isEmpty()) {
            String names = String.join(",", encryptedClusters);
            throw new PreconditionFailedException(Reason.CANNOT_CHANGE_ENCRYPTION_AT_REST_PROVIDER,
                    "cannot change the provider of project " + current.projectId() + " from " + current.provider()
                            + " to " + requested + " while these clusters are encrypted: " + names,
                    Map.of("clusters", names));
        }
    }
}
