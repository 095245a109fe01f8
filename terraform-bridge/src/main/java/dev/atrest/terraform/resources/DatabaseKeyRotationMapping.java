package dev.atrest.terraform.resources;

import dev.atrest.terraform.provider.ServiceErrors;
import dev.atrest.v1.DatabaseKeyInfo;
import dev.atrest.v1.ListClusterKeysResponse;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code atrest_database_key_rotation} state ⇄ the database-key versions ListClusterKeys and RotateDatabaseKey report. */
final class DatabaseKeyRotationMapping {

    /** The service's reason when expected_version is no longer the current version: someone rotated in between. */
    static final String VERSION_CHANGED = "DATABASE_KEY_VERSION_CHANGED";

    static final List<String> IDENTITY = List.of("project_id", "cluster_name", "database_name");

    static final ServiceErrors.AttributeMapping ERRORS = new ServiceErrors.AttributeMapping() {
        @Override
        public String forField(String field) {
            String name = field.substring(field.lastIndexOf('.') + 1);
            return IDENTITY.contains(name) ? name : null;
        }

        @Override
        public String forReason(String reason) {
            // The cluster named by cluster_name is not encrypted: the line to look at (or the resource to add).
            return reason.equals("ENCRYPTION_AT_REST_NOT_ENABLED") ? "cluster_name" : null;
        }
    };

    private DatabaseKeyRotationMapping() {
    }

    /** The database key's resource name, as the service's audit records name it. */
    static String id(String projectId, String clusterName, String databaseName) {
        return "projects/" + projectId + "/clusters/" + clusterName + "/databases/" + databaseName;
    }

    /** The database's newest key version; 0 for a database that has no key yet (RotateDatabaseKey then makes 1). */
    static int currentVersion(ListClusterKeysResponse keys, String databaseName) {
        return keys.getDatabaseKeysList().stream().filter(key -> key.getDatabaseName().equals(databaseName))
                .mapToInt(DatabaseKeyInfo::getVersion).max().orElse(0);
    }

    static Optional<DatabaseKeyInfo> version(ListClusterKeysResponse keys, String databaseName, int version) {
        return keys.getDatabaseKeysList().stream()
                .filter(key -> key.getDatabaseName().equals(databaseName) && key.getVersion() == version).findFirst();
    }

    /** {@code configured} (identity and triggers) with the id and what the service says of the version. */
    static Map<String, Object> toState(Map<String, Object> configured, DatabaseKeyInfo key) {
        Map<String, Object> state = new LinkedHashMap<>(configured);
        state.put("id", id((String) configured.get("project_id"), (String) configured.get("cluster_name"),
                (String) configured.get("database_name")));
        state.put("version", BigDecimal.valueOf(key.getVersion()));
        state.put("master_key_version", BigDecimal.valueOf(key.getWrappedByMasterKeyVersion()));
        state.put("create_time", ServiceText.time(key.getCreateTime()));
        return state;
    }
}
