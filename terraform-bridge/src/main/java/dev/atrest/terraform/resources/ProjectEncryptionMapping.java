package dev.atrest.terraform.resources;

import static dev.atrest.terraform.resources.ProjectEncryptionSchema.ALERT_DAYS;
import static dev.atrest.terraform.resources.ProjectEncryptionSchema.AWS;
import static dev.atrest.terraform.resources.ProjectEncryptionSchema.LOCAL;

import dev.atrest.terraform.provider.ServiceErrors;
import dev.atrest.terraform.wire.Values;
import dev.atrest.v1.AwsKmsConfig;
import dev.atrest.v1.LocalKeyConfig;
import dev.atrest.v1.ProjectEncryption;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code atrest_project_encryption} state ⇄ {@code atrest.v1.ProjectEncryption}. */
final class ProjectEncryptionMapping {

    private ProjectEncryptionMapping() {
    }

    /** The configuration to store, from a planned state (every attribute it sends is known). */
    static ProjectEncryption toService(Map<String, Object> planned) {
        ProjectEncryption.Builder service = ProjectEncryption.newBuilder()
                .setProjectId(Values.string(planned, "project_id"))
                .setCmkRotationAlertDays(DayCountRule.toService(planned, ALERT_DAYS));
        Map<String, Object> aws = Values.object(planned.get(AWS));
        if (!aws.isEmpty()) {
            service.setAwsKms(AwsKmsConfig.newBuilder()
                    .setEnabled(Values.bool(aws, "enabled"))
                    .setCustomerMasterKeyId(ServiceText.orEmpty(Values.string(aws, "customer_master_key_id")))
                    .setRegion(ServiceText.orEmpty(Values.string(aws, "region")))
                    .setRoleArn(ServiceText.orEmpty(Values.string(aws, "role_arn")))
                    .setExternalId(ServiceText.orEmpty(Values.string(aws, "external_id")))
                    .setAccessKeyId(ServiceText.orEmpty(Values.string(aws, "access_key_id")))
                    .setSecretAccessKey(ServiceText.orEmpty(Values.string(aws, "secret_access_key"))));
        }
        Map<String, Object> local = Values.object(planned.get(LOCAL));
        if (!local.isEmpty()) {
            service.setLocalKey(LocalKeyConfig.newBuilder()
                    .setEnabled(Values.bool(local, "enabled"))
                    .setKeyId(ServiceText.orEmpty(Values.string(local, "key_id"))));
        }
        return service.build();
    }

    /**
     * The state the service's answer describes. A provider block appears when it is enabled or when the
     * previous state had it, so a block the user never wrote never shows up as a diff. The secret access
     * key is never returned by the service: it is carried over from the previous state.
     */
    static Map<String, Object> toState(ProjectEncryption service, Map<String, Object> previous) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("id", service.getProjectId());
        state.put("project_id", service.getProjectId());
        state.put("valid", service.getValid());
        state.put("validation_error", ServiceText.orNull(service.getValidationError()));
        state.put("cmk_last_changed_time", ServiceText.time(service.getCmkLastChangedTime()));
        // 0 only from a key service that predates the field: null rather than a value no configuration could ask for.
        int alertDays = service.getCmkRotationAlertDays();
        state.put(ALERT_DAYS, alertDays == 0 ? null : BigDecimal.valueOf(alertDays));
        Map<String, Object> previousAws = Values.object(previous.get(AWS));
        state.put(AWS, service.getAwsKms().getEnabled() || !previousAws.isEmpty() ? aws(service.getAwsKms(), previousAws) : null);
        Map<String, Object> previousLocal = Values.object(previous.get(LOCAL));
        state.put(LOCAL, service.getLocalKey().getEnabled() || !previousLocal.isEmpty() ? local(service.getLocalKey()) : null);
        state.put(Incarnations.GENERATION, Incarnations.toState(service.getGeneration()));
        state.put(Timeouts.BLOCK, previous.get(Timeouts.BLOCK)); // configuration only: the service never sees it
        return state;
    }

    private static Map<String, Object> aws(AwsKmsConfig aws, Map<String, Object> previous) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("enabled", aws.getEnabled());
        block.put("customer_master_key_id", ServiceText.orNull(aws.getCustomerMasterKeyId()));
        block.put("region", ServiceText.orNull(aws.getRegion()));
        block.put("role_arn", ServiceText.orNull(aws.getRoleArn()));
        block.put("external_id", ServiceText.orNull(aws.getExternalId()));
        block.put("access_key_id", ServiceText.orNull(aws.getAccessKeyId()));
        block.put("secret_access_key", Values.string(previous, "secret_access_key"));
        return block;
    }

    private static Map<String, Object> local(LocalKeyConfig local) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("enabled", local.getEnabled());
        block.put("key_id", ServiceText.orNull(local.getKeyId()));
        return block;
    }

    static boolean encrypted(ProjectEncryption service) {
        return !ClusterEncryptionMapping.providerName(service.getProvider()).equals("NONE");
    }

    /** BadRequest fields look like "project_encryption.aws_kms.region"; our blocks carry a "_config" suffix. */
    static ServiceErrors.AttributeMapping errorMapping(Map<String, Object> planned) {
        boolean awsEnabled = Values.bool(Values.object(planned == null ? null : planned.get(AWS)), "enabled");
        String enabledBlock = awsEnabled ? AWS : LOCAL;
        return new ServiceErrors.AttributeMapping() {
            @Override
            public String forField(String field) {
                String path = field.startsWith("project_encryption.") ? field.substring("project_encryption.".length()) : field;
                if (path.equals("aws_kms") || path.startsWith("aws_kms.")) {
                    return AWS + path.substring("aws_kms".length());
                }
                if (path.equals("local_key") || path.startsWith("local_key.")) {
                    return LOCAL + path.substring("local_key".length());
                }
                return path.equals("project_id") || path.equals(ALERT_DAYS) ? path : null;
            }

            @Override
            public String forReason(String reason) {
                return switch (reason) {
                    case "ENCRYPTION_AT_REST_SETTINGS_INVALID", "INVALID_ENCRYPTION_AT_REST_PROVIDER" -> enabledBlock;
                    default -> null;
                };
            }
        };
    }
}
