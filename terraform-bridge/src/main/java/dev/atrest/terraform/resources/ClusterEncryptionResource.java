package dev.atrest.terraform.resources;

import static dev.atrest.terraform.wire.Attribute.computed;
import static dev.atrest.terraform.wire.Attribute.optionalComputed;
import static dev.atrest.terraform.wire.Attribute.required;

import dev.atrest.terraform.provider.AtrestClient;
import dev.atrest.terraform.provider.ConflictRetry;
import dev.atrest.terraform.provider.Diagnostics;
import dev.atrest.terraform.provider.ManagedResource;
import dev.atrest.terraform.provider.ServiceErrors;
import dev.atrest.terraform.wire.Block;
import dev.atrest.terraform.wire.CtyType;
import dev.atrest.terraform.wire.Unknown;
import dev.atrest.terraform.wire.Values;
import dev.atrest.v1.ClusterEncryption;
import dev.atrest.v1.GetClusterEncryptionRequest;
import dev.atrest.v1.SetClusterEncryptionRequest;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code atrest_cluster_encryption}: sets a cluster's provider; destroy sets it back to NONE. */
public final class ClusterEncryptionResource implements ManagedResource {

    static final Block SCHEMA = Block.of("Encryption at rest for one cluster, with keys rooted in its project's "
            + "root key. The project's encryption must be enabled first; destroying this resource disables it.", List.of(
            computed("id", CtyType.STRING, "`PROJECT/CLUSTER`, the form `import` takes."),
            required("project_id", CtyType.STRING, "The project. Changing it replaces the resource."),
            required("cluster_name", CtyType.STRING, "The cluster. Changing it replaces the resource."),
            required("encryption_at_rest_provider", CtyType.STRING, "`AWS` or `LOCAL` (must match the project's "
                    + "enabled provider), or `NONE`. Changing an encrypted cluster's provider needs `NONE` first."),
            computed("state", CtyType.STRING, "`ENABLED` or `DISABLED`."),
            computed("master_key_version", CtyType.NUMBER,
                    "The master-key version that wraps new database keys; 0 before the first."),
            optionalComputed(ClusterEncryptionMapping.ROTATION_PERIOD, CtyType.NUMBER, "How often the service "
                    + "rotates the master key, in days: at least 1; the service's default is 90. Changing it "
                    + "updates in place; removing it from the configuration keeps the stored period."),
            computed("last_rotation_time", CtyType.STRING,
                    "When the last master-key rotation finished (RFC 3339); null if the key never rotated."),
            computed("next_rotation_time", CtyType.STRING,
                    "When the current master key becomes due for rotation (RFC 3339); null while not encrypted.")));

    private static final List<String> IDENTITY = List.of("project_id", "cluster_name");

    /**
     * What the service alone decides, and may change on its own (a scheduled rotation bumps the version and
     * both times). Unknown in the plan of any change, so apply records the service's answer rather than a
     * value the plan guessed; a plan without changes keeps them as refreshed, so a rotation shows no diff.
     */
    static final List<String> SERVICE_OWNED = List.of("state", "master_key_version", "last_rotation_time",
            "next_rotation_time");

    @Override
    public String typeName() {
        return "atrest_cluster_encryption";
    }

    @Override
    public Block schema() {
        return SCHEMA;
    }

    @Override
    public void validate(Map<String, Object> config, Diagnostics diagnostics) {
        IdentifierRules.checkCluster(config, diagnostics);
        DayCountRule.check(config, ClusterEncryptionMapping.ROTATION_PERIOD, diagnostics);
        if (config.get("encryption_at_rest_provider") instanceof String provider
                && !ClusterEncryptionMapping.PROVIDERS.contains(provider)) {
            diagnostics.attributeError("encryption_at_rest_provider", "unknown encryption_at_rest_provider",
                    "encryption_at_rest_provider must be one of AWS, LOCAL, NONE; got " + Diagnostics.quote(provider));
        }
    }

    @Override
    public Plan plan(Map<String, Object> prior, Map<String, Object> proposed, Map<String, Object> config) {
        if (prior != null && prior.equals(proposed)) {
            return new Plan(prior, List.of());
        }
        Map<String, Object> planned = Values.copy(proposed);
        boolean identityKnown = planned.get("project_id") instanceof String && planned.get("cluster_name") instanceof String;
        planned.put("id", identityKnown ? ClusterEncryptionMapping.id((String) planned.get("project_id"),
                (String) planned.get("cluster_name")) : Unknown.VALUE);
        SERVICE_OWNED.forEach(name -> planned.put(name, Unknown.VALUE));
        if (config.get(ClusterEncryptionMapping.ROTATION_PERIOD) == null) {
            // Left out: the service keeps (or defaults to 90) the stored period and apply sends 0 ("keep"), rather
            // than the refreshed value, which would undo a change another client made meanwhile.
            planned.put(ClusterEncryptionMapping.ROTATION_PERIOD, Unknown.VALUE);
        }
        List<String> replace = new ArrayList<>();
        for (String name : IDENTITY) {
            if (prior != null && !prior.get(name).equals(proposed.get(name))) {
                replace.add(name);
            }
        }
        return new Plan(planned, replace);
    }

    @Override
    public Map<String, Object> apply(Map<String, Object> prior, Map<String, Object> planned,
            Map<String, Object> config, AtrestClient client, Diagnostics diagnostics) {
        Map<String, Object> target = planned == null ? prior : planned;
        String provider = planned == null ? "NONE" : Values.string(planned, "encryption_at_rest_provider");
        if (planned != null) {
            // Validation saw unknowns as fine; by now every value is known, and a bad one must not reach the service.
            validate(planned, diagnostics);
            if (diagnostics.hasErrors()) {
                return prior;
            }
        }
        try {
            SetClusterEncryptionRequest request = SetClusterEncryptionRequest.newBuilder()
                    .setProjectId(Values.string(target, "project_id"))
                    .setClusterName(Values.string(target, "cluster_name"))
                    .setEncryptionAtRestProvider(ClusterEncryptionMapping.provider(provider))
                    .setRotationPeriodDays(planned == null ? 0
                            : DayCountRule.toService(planned, ClusterEncryptionMapping.ROTATION_PERIOD)).build();
            ClusterEncryption stored = ConflictRetry.write(() -> client.clusters().setClusterEncryption(request));
            return planned == null ? null
                    : Values.copy(Values.resolveUnknowns(planned, ClusterEncryptionMapping.toState(stored)));
        } catch (StatusRuntimeException e) {
            if (planned == null && ServiceErrors.isNotFound(e)) {
                return null; // the project or cluster is gone: nothing left to disable
            }
            ServiceErrors.report("set encryption of cluster " + target.get("id") + " to " + provider, e,
                    ClusterEncryptionMapping.ERRORS, client.endpoint(), diagnostics);
            return prior;
        }
    }

    @Override
    public Map<String, Object> read(Map<String, Object> state, AtrestClient client, Diagnostics diagnostics) {
        try {
            ClusterEncryption stored = client.clusters().getClusterEncryption(GetClusterEncryptionRequest.newBuilder()
                    .setProjectId(Values.string(state, "project_id"))
                    .setClusterName(Values.string(state, "cluster_name")).build());
            return ClusterEncryptionMapping.toState(stored);
        } catch (StatusRuntimeException e) {
            if (ServiceErrors.isNotFound(e)) {
                return null;
            }
            ServiceErrors.report("read encryption of cluster " + state.get("id"), e, ClusterEncryptionMapping.ERRORS,
                    client.endpoint(), diagnostics);
            return state;
        }
    }

    @Override
    public Map<String, Object> importState(String id, Diagnostics diagnostics) {
        String[] parts = id.split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            diagnostics.error("invalid import id", "import atrest_cluster_encryption as PROJECT/CLUSTER, got " + Diagnostics.quote(id));
            return null;
        }
        Map<String, Object> state = Values.copy(Map.of());
        SCHEMA.impliedType().attributes().keySet().forEach(name -> state.put(name, null));
        state.put("id", id);
        state.put("project_id", parts[0]);
        state.put("cluster_name", parts[1]);
        return state;
    }
}
