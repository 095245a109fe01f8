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
import dev.atrest.v1.DatabaseKeyInfo;
import dev.atrest.v1.KeyState;
import dev.atrest.v1.ListClusterKeysRequest;
import dev.atrest.v1.ListClusterKeysResponse;
import dev.atrest.v1.MasterKeyVersion;
import io.grpc.StatusRuntimeException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code data.atrest_cluster_keys}: a cluster's key versions. Metadata only: no key material exists here. */
public final class ClusterKeysDataSource implements DataSource {

    private static final CtyType MASTER_KEY = CtyType.objectOf(Map.of("version", CtyType.NUMBER,
            "state", CtyType.STRING, "provider", CtyType.STRING, "wrapping_key_id", CtyType.STRING,
            "create_time", CtyType.STRING));
    private static final CtyType DATABASE_KEY = CtyType.objectOf(Map.of("database_name", CtyType.STRING,
            "version", CtyType.NUMBER, "wrapped_by_master_key_version", CtyType.NUMBER, "state", CtyType.STRING,
            "create_time", CtyType.STRING));

    static final Block SCHEMA = Block.of("Lists a cluster's key hierarchy without any key material: master-key "
            + "versions (newest first) and database keys with the master-key version that wraps each.", List.of(
            required("project_id", CtyType.STRING, "The project."),
            required("cluster_name", CtyType.STRING, "The cluster."),
            computed("id", CtyType.STRING, "`PROJECT/CLUSTER`."),
            computed("master_key_versions", CtyType.listOf(MASTER_KEY),
                    "`version`, `state` (ACTIVE, RETIRED, DESTROYED), `provider`, `wrapping_key_id` (the root key "
                    + "that wraps the version, as the service recorded it: for AWS the CMK's key ARN as KMS resolved "
                    + "it, even when the project names the CMK by alias or id; for LOCAL `local:` and the local key "
                    + "id, e.g. `local:default`), `create_time`."),
            computed("database_keys", CtyType.listOf(DATABASE_KEY),
                    "`database_name`, `version`, `wrapped_by_master_key_version`, `state`, `create_time`.")));

    @Override
    public String typeName() {
        return "atrest_cluster_keys";
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
        String projectId = Values.string(config, "project_id");
        String clusterName = Values.string(config, "cluster_name");
        try {
            ListClusterKeysResponse keys = ServiceRetry.read(client, () -> client.clusters().listClusterKeys(
                    ListClusterKeysRequest.newBuilder().setProjectId(projectId).setClusterName(clusterName).build()));
            Map<String, Object> state = new LinkedHashMap<>(config);
            state.put("id", ClusterEncryptionMapping.id(projectId, clusterName));
            state.put("master_key_versions", keys.getMasterKeyVersionsList().stream().map(ClusterKeysDataSource::masterKey).toList());
            state.put("database_keys", keys.getDatabaseKeysList().stream().map(ClusterKeysDataSource::databaseKey).toList());
            return state;
        } catch (StatusRuntimeException e) {
            ServiceErrors.report("list keys of cluster " + projectId + "/" + clusterName, e,
                    ClusterEncryptionMapping.ERRORS, client.endpoint(), diagnostics);
            return null;
        }
    }

    private static Object masterKey(MasterKeyVersion key) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("version", BigDecimal.valueOf(key.getVersion()));
        object.put("state", keyState(key.getState()));
        object.put("provider", ClusterEncryptionMapping.providerName(key.getProvider()));
        object.put("wrapping_key_id", ServiceText.orNull(key.getWrappingKeyId()));
        object.put("create_time", ServiceText.time(key.getCreateTime()));
        return object;
    }

    private static Object databaseKey(DatabaseKeyInfo key) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("database_name", key.getDatabaseName());
        object.put("version", BigDecimal.valueOf(key.getVersion()));
        object.put("wrapped_by_master_key_version", BigDecimal.valueOf(key.getWrappedByMasterKeyVersion()));
        object.put("state", keyState(key.getState()));
        object.put("create_time", ServiceText.time(key.getCreateTime()));
        return object;
    }

    /** KEY_STATE_ACTIVE reads as ACTIVE. */
    private static String keyState(KeyState state) {
        return state.name().startsWith("KEY_STATE_") ? state.name().substring("KEY_STATE_".length()) : state.name();
    }
}
