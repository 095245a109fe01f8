package dev.atrest.terraform.resources;

import static dev.atrest.terraform.resources.ProjectEncryptionSchema.ALERT_DAYS;
import static dev.atrest.terraform.resources.ProjectEncryptionSchema.LOCAL;

import dev.atrest.terraform.provider.AtrestClient;
import dev.atrest.terraform.provider.Diagnostics;
import dev.atrest.terraform.provider.LostAnswers;
import dev.atrest.terraform.provider.ManagedResource;
import dev.atrest.terraform.provider.ServiceErrors;
import dev.atrest.terraform.provider.ServiceRetry;
import dev.atrest.terraform.provider.Waiting;
import dev.atrest.terraform.wire.Block;
import dev.atrest.terraform.wire.Unknown;
import dev.atrest.terraform.wire.Values;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.UpdateProjectEncryptionRequest;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;

/**
 * {@code atrest_project_encryption}: update is the service's idempotent upsert; create refuses a project whose
 * encryption is already on; delete disables encryption, waiting within {@code timeouts.delete} while the
 * service refuses because clusters are still encrypted (see {@link ProjectDisable}).
 */
public final class ProjectEncryptionResource implements ManagedResource {

    private final ProjectDisable disable;

    public ProjectEncryptionResource() {
        this(Waiting.SYSTEM);
    }

    /** With the clock and pause destroy waits with (a virtual one in tests). */
    ProjectEncryptionResource(Waiting waiting) {
        this.disable = new ProjectDisable(waiting);
    }

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
        Timeouts.check(config, diagnostics);
    }

    @Override
    public Plan plan(Map<String, Object> prior, Map<String, Object> proposed, Map<String, Object> config) {
        if (prior != null && prior.equals(proposed)) {
            return new Plan(prior, List.of()); // nothing changes: the plan is exactly the prior state
        }
        if (prior != null && Timeouts.without(prior).equals(Timeouts.without(proposed))) {
            Map<String, Object> planned = Values.copy(prior); // only a timeout changes: the service sees nothing
            planned.put(Timeouts.BLOCK, proposed.get(Timeouts.BLOCK));
            return new Plan(planned, List.of());
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
            return disable.delete(prior, client, diagnostics);
        }
        if (prior != null && Timeouts.without(prior).equals(Timeouts.without(planned))) {
            return planned; // only a timeout changed: nothing to tell the service
        }
        // Validation saw unknowns as fine; by now every value is known, and a bad one must not reach the service
        // (nor a megabyte-long one end up in the summary of the service's refusal).
        ProjectEncryptionValidation.validate(planned, diagnostics);
        if (diagnostics.hasErrors()) {
            return prior;
        }
        UpdateProjectEncryptionRequest request = UpdateProjectEncryptionRequest.newBuilder()
                .setProjectEncryption(ProjectEncryptionMapping.toService(planned)).build();
        LostAnswers lost = new LostAnswers();
        try {
            ProjectEncryption stored = ServiceRetry.write(client, prior == null
                    ? () -> createOnce(request, planned, client, lost, diagnostics)
                    : () -> client.projects().updateProjectEncryption(request));
            return Values.copy(Values.resolveUnknowns(planned, ProjectEncryptionMapping.toState(stored, planned)));
        } catch (Incarnations.AlreadyEncrypted existing) {
            Incarnations.reportExisting(diagnostics, typeName(), "project " + planned.get("project_id"),
                    Values.string(planned, "project_id"), existing);
            return prior;
        } catch (StatusRuntimeException e) {
            ServiceErrors.report((prior == null ? "enable" : "update") + " encryption of project "
                    + planned.get("project_id"), e, ProjectEncryptionMapping.errorMapping(planned), client.endpoint(),
                    diagnostics);
            return prior;
        }
    }

    /**
     * A create never takes over a project whose encryption is on: it may be another configuration's, or this
     * configuration's own object still waiting for its destroy (create_before_destroy). A project the service
     * has never configured has no etag to write against; a configured one is written on condition that nothing
     * changed since the read, and ABORTED makes ServiceRetry look again. After a write whose answer was lost,
     * the project found encrypted exactly as planned is the earlier attempt's, and is recorded with a warning.
     */
    private static ProjectEncryption createOnce(UpdateProjectEncryptionRequest request, Map<String, Object> planned,
            AtrestClient client, LostAnswers lost, Diagnostics diagnostics) {
        String projectId = request.getProjectEncryption().getProjectId();
        ProjectEncryption remote;
        try {
            remote = client.projects().getProjectEncryption(
                    GetProjectEncryptionRequest.newBuilder().setProjectId(projectId).build());
        } catch (StatusRuntimeException e) {
            if (ServiceErrors.isNotFound(e)) {
                return lost.send(() -> client.projects().updateProjectEncryption(request));
            }
            throw e;
        }
        if (ProjectEncryptionMapping.encrypted(remote)) {
            if (lost.writeMayHaveApplied()
                    && Incarnations.storedAsPlanned(planned, ProjectEncryptionMapping.toState(remote, planned))) {
                Incarnations.reportAdopted(diagnostics, "project " + projectId, remote.getGeneration());
                return remote;
            }
            throw new Incarnations.AlreadyEncrypted(ClusterEncryptionMapping.providerName(remote.getProvider()),
                    remote.getGeneration());
        }
        return lost.send(() -> client.projects().updateProjectEncryption(
                request.toBuilder().setEtag(remote.getEtag()).build()));
    }

    @Override
    public Map<String, Object> read(Map<String, Object> state, AtrestClient client, Diagnostics diagnostics) {
        String projectId = Values.string(state, "project_id");
        try {
            ProjectEncryption stored = ServiceRetry.read(client, () -> client.projects().getProjectEncryption(
                    GetProjectEncryptionRequest.newBuilder().setProjectId(projectId).build()));
            // Switched off and on again since this object recorded its generation: what it describes is gone.
            return Incarnations.isAnother(state, stored.getGeneration()) ? null
                    : ProjectEncryptionMapping.toState(stored, state);
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
