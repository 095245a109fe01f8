package dev.atrest.keyservice.project;

import dev.atrest.keyservice.cmkchange.CmkChanges;
import dev.atrest.keyservice.domain.ProjectEncryption;
import dev.atrest.keyservice.domain.ProjectEncryptionUpdate;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * UpdateProjectEncryption: stores the settings, then, when the CMK changed (or an earlier change is
 * unfinished), moves the project's master keys to it before answering, so that a caller such as
 * {@code terraform apply} sees the change done or a clear error.
 */
@ApplicationScoped
public class ProjectUpdates {
    private final Projects projects;
    private final CmkChanges cmkChanges;

    ProjectUpdates(Projects projects, CmkChanges cmkChanges) {
        this.projects = projects;
        this.cmkChanges = cmkChanges;
    }

    public ProjectEncryption apply(ProjectEncryptionUpdate update) {
        ProjectEncryption stored = projects.update(update);
        return stored.cmkChange().isPresent() ? cmkChanges.complete(update.projectId()) : stored;
    }
}
