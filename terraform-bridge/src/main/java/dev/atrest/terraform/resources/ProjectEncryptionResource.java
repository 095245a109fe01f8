package dev.atrest.terraform.resources;

import static dev.atrest.terraform.resources.ProjectEncryptionSchema.ALERT_DAYS;
import static dev.atrest.terraform.resources.ProjectEncryptionSchema.LOCAL;

import dev.atrest.terraform.provider.AtrestClient;
import dev.atrest.terraform.provider.ConflictRetry;
import dev.atrest.terraform.provider.Diagnostics;
import dev.atrest.terraform.provider.ManagedResource;
import dev.atrest.terraform.provider.ServiceErrors;
import dev.atrest.terraform.wire.Block;
import dev.atrest.terraform.wire.Unknown;
import dev.atrest.terraform.wire.Values;
import dev.atrest.v1.DisableProjectEncryptionRequest;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.UpdateProjectEncryptionRequest;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;

/**
 * {@code atrest_project_encryption}: create and update are the service's idempotent upsert; delete disables
 * encryption (refused by the service while clusters are encrypted, and then the state stays as it was).
 */
public final class ProjectEncryptionResource implements ManagedResource {

    @Override
    public String typeName() {
        return ProjectEncryptionSchema.TYPE_NAME;
    }

    @Override
    public Block schema() {
        return ProjectEncryptionSchema.SCHEMA;
    }

    @Override
    public void validate(Map<String, Object> config, Diagnostics diagnostics) {
        ProjectEncryptionValidation.validate(config, diagnostics);
    }

    @Override
    public Plan plan(Map<String, Object> prior, Map<String, Object> proposed, Map<String, Object> config) {
        if (prior != null && prior.equals(proposed)) {
            return new Plan(prior, List.of()); // nothing changes: the plan is exactly the prior state
        }
        Map<String, Object> planned = Values.copy(proposed);
        Object projectId = planned.get("project_id");
        planned.put("id", projectId instanceof String ? projectId : Unknown.VALUE);
        ProjectEncryptionSchema.VOLATILE_COMPUTED.forEach(name -> planned.put(name, Unknown.VALUE));
        if (config.get(ALERT_DAYS) == null) {
            // Left out of the configuration: the service keeps (or defaults) it, and apply sends 0 ("keep").
            // Planning the refreshed value instead would send it back, undoing any change another client
            // made between refresh and apply: a lost update.
            planned.put(ALERT_DAYS, Unknown.VALUE);
        }
        if (planned.get(LOCAL) instanceof Map<?, ?> && Values.object(planned.get(LOCAL)).get("key_id") == null) {
            Map<String, Object> local = Values.copy(planned.get(LOCAL));
            local.put("key_id", Unknown.VALUE); // the service picks "default"
            planned.put(LOCAL, local);
        }
        boolean replace = prior != null && !prior.get("project_id").equals(proposed.get("project_id"));
        return new Plan(planned, replace ? List.of("project_id") : List.of());
    }

    @Override
    public Map<String, Object> apply(Map<String, Object> prior, Map<String, Object> planned,
            Map<String, Object> config, AtrestClient client, Diagnostics diagnostics) {
        if (planned == null) {
            return disable(prior, client, diagnostics);
        }
        // Validation saw unknowns as fine; by now every value is known, and a bad one must not reach the service
        // (nor a megabyte-long one end up in the summary of the service's refusal).
        ProjectEncryptionValidation.validate(planned, diagnostics);
        if (diagnostics.hasErrors()) {
            return prior;
        }
        try {
            UpdateProjectEncryptionRequest request = UpdateProjectEncryptionRequest.newBuilder()
                    .setProjectEncryption(ProjectEncryptionMapping.toService(planned)).build();
            ProjectEncryption stored = ConflictRetry.write(() -> client.projects().updateProjectEncryption(request));
            return Values.copy(Values.resolveUnknowns(planned, ProjectEncryptionMapping.toState(stored, planned)));
        } catch (StatusRuntimeException e) {
            ServiceErrors.report((prior == null ? "enable" : "update") + " encryption of project "
                    + planned.get("project_id"), e, ProjectEncryptionMapping.errorMapping(planned), client.endpoint(),
                    diagnostics);
            return prior;
        }
    }

    private Map<String, Object> disable(Map<String, Object> prior, AtrestClient client, Diagnostics diagnostics) {
        String projectId = Values.string(prior, "project_id");
        try {
            DisableProjectEncryptionRequest request = DisableProjectEncryptionRequest.newBuilder()
                    .setProjectId(projectId).build();
            ConflictRetry.write(() -> client.projects().disableProjectEncryption(request));
            return null;
        } catch (StatusRuntimeException e) {
            if (ServiceErrors.isNotFound(e)) {
                return null; // never configured, or already gone: the goal is reached
            }
            ServiceErrors.report("disable encryption of project " + projectId, e,
                    ProjectEncryptionMapping.errorMapping(prior), client.endpoint(), diagnostics);
            return prior;
        }
    }

    @Override
    public Map<String, Object> read(Map<String, Object> state, AtrestClient client, Diagnostics diagnostics) {
        String projectId = Values.string(state, "project_id");
        try {
            ProjectEncryption stored = client.projects().getProjectEncryption(
                    GetProjectEncryptionRequest.newBuilder().setProjectId(projectId).build());
            return ProjectEncryptionMapping.toState(stored, state);
        } catch (StatusRuntimeException e) {
            if (ServiceErrors.isNotFound(e)) {
                return null;
            }
            ServiceErrors.report("read encryption of project " + projectId, e,
                    ProjectEncryptionMapping.errorMapping(state), client.endpoint(), diagnostics);
            return state;
        }
    }

    @Override
    public Map<String, Object> importState(String id, Diagnostics diagnostics) {
        Map<String, Object> state = Values.copy(Map.of());
        schema().impliedType().attributes().keySet().forEach(name -> state.put(name, null));
        state.put("project_id", id);
        state.put("id", id);
        IdentifierRules.check(state, "project_id", "project_id", diagnostics);
        return state;
    }
}
