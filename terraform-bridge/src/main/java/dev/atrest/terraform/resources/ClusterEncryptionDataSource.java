package dev.atrest.terraform.resources;

import static dev.atrest.terraform.wire.Attribute.computed;
import static dev.atrest.terraform.wire.Attribute.required;

import dev.atrest.terraform.provider.AtrestClient;
import dev.atrest.terraform.provider.DataSource;
import dev.atrest.terraform.provider.Diagnostics;
import dev.atrest.terraform.provider.ServiceErrors;
import dev.atrest.terraform.wire.Block;
import dev.atrest.terraform.wire.CtyType;
import dev.atrest.terraform.wire.Values;
import dev.atrest.v1.GetClusterEncryptionRequest;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;

/** {@code data.atrest_cluster_encryption}: a cluster's provider, state and master-key version. */
public final class ClusterEncryptionDataSource implements DataSource {

    static final Block SCHEMA = Block.of("Reads a cluster's encryption at rest. A cluster never configured reads "
            + "as provider `NONE`, state `DISABLED`.", List.of(
            required("project_id", CtyType.STRING, "The project."),
            required("cluster_name", CtyType.STRING, "The cluster."),
            computed("id", CtyType.STRING, "`PROJECT/CLUSTER`."),
            computed("encryption_at_rest_provider", CtyType.STRING, "`AWS`, `LOCAL` or `NONE`."),
            computed("state", CtyType.STRING, "`ENABLED` or `DISABLED`."),
            computed("master_key_version", CtyType.NUMBER, "The master-key version that wraps new database keys.")));

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
            return ClusterEncryptionMapping.toState(client.clusters().getClusterEncryption(
                    GetClusterEncryptionRequest.newBuilder()
                            .setProjectId(Values.string(config, "project_id"))
                            .setClusterName(Values.string(config, "cluster_name")).build()));
        } catch (StatusRuntimeException e) {
            ServiceErrors.report("read encryption of cluster " + config.get("project_id") + "/"
                    + config.get("cluster_name"), e, ClusterEncryptionMapping.ERRORS, client.endpoint(), diagnostics);
            return null;
        }
    }
}
