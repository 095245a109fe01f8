package dev.atrest.terraform.resources;

import static dev.atrest.terraform.wire.Attribute.computed;
import static dev.atrest.terraform.wire.Attribute.required;

import dev.atrest.terraform.provider.AtrestClient;
import dev.atrest.terraform.provider.DataSource;
import dev.atrest.terraform.provider.Diagnostics;
import dev.atrest.terraform.provider.ServiceErrors;
import dev.atrest.terraform.provider.ServiceRetry;
import dev.atrest.terraform.wire.Block;
import dev.atrest.terraform.wire.CtyType;
import dev.atrest.terraform.wire.Values;
import dev.atrest.v1.ClusterEncryption;
import dev.atrest.v1.GetClusterEncryptionRequest;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;

/** {@code data.atrest_cluster_encryption}: a cluster's provider, state, master-key version and rotation. */
public final class ClusterEncryptionDataSource implements DataSource {

    static final Block SCHEMA = Block.of("Reads a cluster's encryption at rest. A cluster never configured (or "
            + "in a project never configured) reads as provider `NONE`, state `DISABLED`, `generation = 0`, like a "
            + "project never configured in `atrest_project_encryption`; an invalid `project_id` or `cluster_name` is "
            + "an error.", List.of(
            required("project_id", CtyType.STRING, "The project."),
            required("cluster_name", CtyType.STRING, "The cluster."),
            computed("id", CtyType.STRING, "`PROJECT/CLUSTER`."),
            computed("encryption_at_rest_provider", CtyType.STRING, "`AWS`, `LOCAL` or `NONE`."),
            computed("state", CtyType.STRING, "`ENABLED` or `DISABLED`."),
            computed("master_key_version", CtyType.NUMBER, "The master-key version that wraps new database keys."),
            computed(ClusterEncryptionMapping.ROTATION_PERIOD, CtyType.NUMBER, "How often the master key rotates, in days."),
            computed("last_rotation_time", CtyType.STRING, "When the last rotation finished (RFC 3339); null if none has."),
            computed("next_rotation_time", CtyType.STRING,
                    "When the current master key becomes due for rotation (RFC 3339); null while not encrypted."),
            computed("rotation_in_progress", CtyType.BOOL,
                    "Whether database keys are being re-wrapped under a new master key right now."),
            computed(Incarnations.GENERATION, CtyType.NUMBER, "Which incarnation of the cluster's encryption this is: "
                    + "the key service counts each switch from `NONE` to `AWS`/`LOCAL`; 0 before the first.")));

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
    }

    @Override
    public Map<String, Object> read(Map<String, Object> config, AtrestClient client, Diagnostics diagnostics) {
        try {
            ClusterEncryption stored = ServiceRetry.read(client, () -> client.clusters().getClusterEncryption(
                    GetClusterEncryptionRequest.newBuilder().setProjectId(Values.string(config, "project_id"))
                            .setClusterName(Values.string(config, "cluster_name")).build()));
            Map<String, Object> state = ClusterEncryptionMapping.toState(stored);
            // Not on the resource: it flips in the background, and a resource attribute would only be noise in plans.
            state.put("rotation_in_progress", stored.getRotationInProgress());
            return state;
        } catch (StatusRuntimeException e) {
            ServiceErrors.report("read encryption of cluster " + config.get("project_id") + "/"
                    + config.get("cluster_name"), e, ClusterEncryptionMapping.ERRORS, client.endpoint(), diagnostics);
            return null;
        }
    }
}
