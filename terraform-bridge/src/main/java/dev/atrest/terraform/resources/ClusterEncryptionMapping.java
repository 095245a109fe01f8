package dev.atrest.terraform.resources;

import dev.atrest.terraform.provider.ServiceErrors;
import dev.atrest.v1.ClusterEncryption;
import dev.atrest.v1.ClusterEncryptionState;
import dev.atrest.v1.EncryptionAtRestProvider;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code atrest_cluster_encryption} state ⇄ {@code atrest.v1.ClusterEncryption}. */
final class ClusterEncryptionMapping {

    /** The provider values Terraform configurations may name; the enum's own words (see common.proto). */
    static final List<String> PROVIDERS = List.of("AWS", "LOCAL", "NONE");

    static final String ROTATION_PERIOD = "rotation_period_days";

    static final ServiceErrors.AttributeMapping ERRORS = new ServiceErrors.AttributeMapping() {
        @Override
        public String forField(String field) {
            String name = field.substring(field.lastIndexOf('.') + 1);
            return List.of("project_id", "cluster_name", "encryption_at_rest_provider", ROTATION_PERIOD).contains(name) ? name : null;
        }

        @Override
        public String forReason(String reason) {
            return switch (reason) {
                case "ENCRYPTION_AT_REST_NOT_ENABLED", "INVALID_ENCRYPTION_AT_REST_PROVIDER",
                        "CANNOT_CHANGE_ENCRYPTION_AT_REST_PROVIDER" -> "encryption_at_rest_provider";
                default -> null;
            };
        }
    };

    private ClusterEncryptionMapping() {
    }

    static String id(String projectId, String clusterName) {
        return projectId + "/" + clusterName;
    }

    static EncryptionAtRestProvider provider(String name) {
        return EncryptionAtRestProvider.valueOf(name);
    }

    static Map<String, Object> toState(ClusterEncryption service) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("id", id(service.getProjectId(), service.getClusterName()));
        state.put("project_id", service.getProjectId());
        state.put("cluster_name", service.getClusterName());
        state.put("encryption_at_rest_provider", providerName(service.getEncryptionAtRestProvider()));
        state.put("state", stateName(service.getState()));
        state.put("master_key_version", BigDecimal.valueOf(service.getMasterKeyVersion()));
        // 0 only from a key service that predates the field: unknown to it, so null rather than a value no
        // configuration could ask for.
        int period = service.getRotationPeriodDays();
        state.put(ROTATION_PERIOD, period == 0 ? null : BigDecimal.valueOf(period));
        state.put("last_rotation_time", ServiceText.time(service.getLastRotationTime()));
        state.put("next_rotation_time", ServiceText.time(service.getNextRotationTime()));
        state.put(Incarnations.GENERATION, Incarnations.toState(service.getGeneration()));
        return state;
    }

    /** A never-configured cluster reads as UNSPECIFIED on the wire; to Terraform that is NONE. */
    static String providerName(EncryptionAtRestProvider provider) {
        return switch (provider) {
            case AWS, LOCAL, NONE -> provider.name();
            default -> "NONE";
        };
    }

    /** Whether the cluster carries encryption (a provider other than NONE), whatever its state says. */
    static boolean encrypted(ClusterEncryption service) {
        return !providerName(service.getEncryptionAtRestProvider()).equals("NONE");
    }

    static String stateName(ClusterEncryptionState state) {
        return switch (state) {
            case CLUSTER_ENCRYPTION_STATE_ENABLED -> "ENABLED";
            default -> "DISABLED";
        };
    }
}
