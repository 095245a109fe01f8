package dev.atrest.terraform.resources;

import static dev.atrest.terraform.wire.Attribute.computed;
import static dev.atrest.terraform.wire.Attribute.optionalComputed;
import static dev.atrest.terraform.wire.Attribute.required;

import dev.atrest.terraform.provider.AtrestClient;
import dev.atrest.terraform.provider.Diagnostics;
import dev.atrest.terraform.provider.LostAnswers;
import dev.atrest.terraform.provider.ManagedResource;
import dev.atrest.terraform.provider.ServiceErrors;
import dev.atrest.terraform.provider.ServiceRetry;
import dev.atrest.terraform.wire.Block;
import dev.atrest.terraform.wire.CtyType;
import dev.atrest.terraform.wire.Unknown;
import dev.atrest.terraform.wire.Values;
import dev.atrest.v1.ClusterEncryption;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetClusterEncryptionRequest;
import dev.atrest.v1.SetClusterEncryptionRequest;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * {@code atrest_cluster_encryption}: sets a cluster's provider; destroy sets it back to NONE. Create and destroy are
 * tied to the remote incarnation (see {@link Incarnations}); an update is the service's idempotent upsert.
 */
public final class ClusterEncryptionResource implements ManagedResource {

    private static final Logger LOG = Logger.getLogger(ClusterEncryptionResource.class.getName());

    static final Block SCHEMA = Block.of("Encryption at rest for one cluster, with keys rooted in its project's "
            + "root key. The project's encryption must be enabled first; destroying this resource disables it. "
            + "Create refuses a cluster that is already encrypted (import it instead); destroy switches off only "
            + "the encryption this resource switched on (see `generation`).", List.of(
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
                    "When the current master key becomes due for rotation (RFC 3339); null while not encrypted."),
            computed(Incarnations.GENERATION, CtyType.NUMBER, "Which incarnation of the cluster's encryption this "
                    + "object manages: the key service counts each switch from `NONE` to `AWS`/`LOCAL` (0 before the "
                    + "first). Destroy switches encryption off only while the service still holds this generation; a "
                    + "refresh that finds another one treats the object as gone. Filled by apply, import and refresh.")));

    private static final List<String> IDENTITY = List.of("project_id", "cluster_name");

    /**
     * What the service alone decides, and may change on its own (a scheduled rotation bumps the version and
     * both times). Unknown in the plan of any change, so apply records the service's answer rather than a
     * value the plan guessed; a plan without changes keeps them as refreshed, so a rotation shows no diff.
     */
    static final List<String> SERVICE_OWNED = List.of("state", "master_key_version", "last_rotation_time",
            "next_rotation_time", Incarnations.GENERATION);

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
        if (planned == null) {
            return delete(prior, client, diagnostics);
        }
        // Validation saw unknowns as fine; by now every value is known, and a bad one must not reach the service.
        validate(planned, diagnostics);
        if (diagnostics.hasErrors()) {
            return prior;
        }
        String provider = Values.string(planned, "encryption_at_rest_provider");
        SetClusterEncryptionRequest request = SetClusterEncryptionRequest.newBuilder()
                .setProjectId(Values.string(planned, "project_id"))
                .setClusterName(Values.string(planned, "cluster_name"))
                .setEncryptionAtRestProvider(ClusterEncryptionMapping.provider(provider))
                .setRotationPeriodDays(DayCountRule.toService(planned, ClusterEncryptionMapping.ROTATION_PERIOD)).build();
        LostAnswers lost = new LostAnswers();
        try {
            ClusterEncryption stored = ServiceRetry.write(client, prior == null
                    ? () -> createOnce(request, planned, client, lost, diagnostics)
                    : () -> client.clusters().setClusterEncryption(request));
            return Values.copy(Values.resolveUnknowns(planned, ClusterEncryptionMapping.toState(stored)));
        } catch (Incarnations.AlreadyEncrypted existing) {
            Incarnations.reportExisting(diagnostics, typeName(), "cluster " + planned.get("id"),
                    (String) planned.get("id"), existing);
            return prior;
        } catch (StatusRuntimeException e) {
            ServiceErrors.report("set encryption of cluster " + planned.get("id") + " to " + provider, e,
                    ClusterEncryptionMapping.ERRORS, client.endpoint(), diagnostics);
            return prior;
        }
    }

    /**
     * A create never takes over a cluster that is already encrypted: that may be another configuration's, or
     * this configuration's own object still waiting for its destroy (create_before_destroy). Otherwise it
     * writes on condition that nothing changed since the read; ABORTED makes ServiceRetry look again. After a
     * write whose answer was lost, the cluster found encrypted exactly as planned is the earlier attempt's.
     */
    private static ClusterEncryption createOnce(SetClusterEncryptionRequest request, Map<String, Object> planned,
            AtrestClient client, LostAnswers lost, Diagnostics diagnostics) {
        ClusterEncryption remote = client.clusters().getClusterEncryption(GetClusterEncryptionRequest.newBuilder()
                .setProjectId(request.getProjectId()).setClusterName(request.getClusterName()).build());
        if (ClusterEncryptionMapping.encrypted(remote)) {
            if (lost.writeMayHaveApplied()
                    && Incarnations.storedAsPlanned(planned, ClusterEncryptionMapping.toState(remote))) {
                Incarnations.reportAdopted(diagnostics, "cluster " + planned.get("id"), remote.getGeneration());
                return remote;
            }
            throw new Incarnations.AlreadyEncrypted(ClusterEncryptionMapping.providerName(
                    remote.getEncryptionAtRestProvider()), remote.getGeneration());
        }
        return lost.send(() -> client.clusters().setClusterEncryption(
                request.toBuilder().setEtag(remote.getEtag()).build()));
    }

    /**
     * Switches off only the encryption this object switched on: a cluster already NONE, gone, or encrypted
     * again since (another generation) is left as it is. The disable is conditional on what was read.
     */
    private Map<String, Object> delete(Map<String, Object> prior, AtrestClient client, Diagnostics diagnostics) {
        String what = "cluster " + prior.get("id");
        try {
            boolean disabled = ServiceRetry.write(client, () -> {
                ClusterEncryption remote = client.clusters().getClusterEncryption(GetClusterEncryptionRequest.newBuilder()
                        .setProjectId(Values.string(prior, "project_id"))
                        .setClusterName(Values.string(prior, "cluster_name")).build());
                if (!ClusterEncryptionMapping.encrypted(remote)) {
                    return true;
                }
                if (Incarnations.isAnother(prior, remote.getGeneration())) {
                    Incarnations.reportLeftAlone(diagnostics, what, prior, remote.getGeneration());
                    return false;
                }
                client.clusters().setClusterEncryption(SetClusterEncryptionRequest.newBuilder()
                        .setProjectId(remote.getProjectId()).setClusterName(remote.getClusterName())
                        .setEncryptionAtRestProvider(EncryptionAtRestProvider.NONE).setEtag(remote.getEtag()).build());
                return true;
            });
            LOG.fine(() -> what + (disabled ? ": encryption off" : ": left alone, another incarnation"));
            return null;
        } catch (StatusRuntimeException e) {
            if (ServiceErrors.isNotFound(e)) {
                return null; // the project or cluster is gone: nothing left to disable
            }
            ServiceErrors.report("set encryption of " + what + " to NONE", e, ClusterEncryptionMapping.ERRORS,
                    client.endpoint(), diagnostics);
            return prior;
        }
    }

    @Override
    public Map<String, Object> read(Map<String, Object> state, AtrestClient client, Diagnostics diagnostics) {
        try {
            ClusterEncryption stored = ServiceRetry.read(client, () -> client.clusters().getClusterEncryption(
                    GetClusterEncryptionRequest.newBuilder().setProjectId(Values.string(state, "project_id"))
                            .setClusterName(Values.string(state, "cluster_name")).build()));
            // Switched off and on again since this object recorded its generation: what it describes is gone
            // (a deposed object then drops out of the state instead of switching its successor off).
            return Incarnations.isAnother(state, stored.getGeneration()) ? null : ClusterEncryptionMapping.toState(stored);
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
