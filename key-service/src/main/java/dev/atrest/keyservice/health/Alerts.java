package dev.atrest.keyservice.health;

import dev.atrest.keyservice.domain.InputRules;
import dev.atrest.keyservice.domain.NotFoundException;
import dev.atrest.keyservice.domain.PageTokens;
import dev.atrest.keyservice.domain.Violations;
import dev.atrest.keyservice.store.KeyAlertRepository;
import dev.atrest.keyservice.store.ProjectEncryptionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Reading a project's alerts; only {@link KeyHealth} opens and closes them. */
@ApplicationScoped
public class Alerts {
    private final ProjectEncryptionRepository projects;
    private final KeyAlertRepository alerts;

    Alerts(ProjectEncryptionRepository projects, KeyAlertRepository alerts) {
        this.projects = projects;
        this.alerts = alerts;
    }

    /** The project's alerts (or only the open ones), newest first. */
    @Transactional
    public AlertPage list(String projectId, boolean openOnly, int pageSize, String pageToken) {
        Violations violations = new Violations();
        InputRules.requireId(violations, "project_id", projectId);
        int size = PageTokens.size(violations, pageSize);
        AlertPage.Position after = AlertPage.decodeToken(pageToken, violations);
        violations.throwIfAny();
        if (projects.findByProjectId(projectId).isEmpty()) {
            throw new NotFoundException("project " + projectId + " has no encryption-at-rest configuration");
        }
        return AlertPage.of(alerts.page(projectId, openOnly, after.openedTime(), after.id(), size + 1).stream()
                .map(row -> new AlertPage.Item(row.id, row.toDomain())).toList(), size);
    }
}
