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
import dev.atrest.v1.CmkChange;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ProjectEncryption;
import io.grpc.StatusRuntimeException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code data.atrest_project_encryption}: a project's encryption as the service holds it (no secrets). */
public final class ProjectEncryptionDataSource implements DataSource {

    private static final CtyType AWS_KMS = CtyType.objectOf(Map.of("enabled", CtyType.BOOL,
            "customer_master_key_id", CtyType.STRING, "region", CtyType.STRING, "role_arn", CtyType.STRING,
            "external_id", CtyType.STRING, "access_key_id", CtyType.STRING));
    private static final CtyType LOCAL_KEY = CtyType.objectOf(Map.of("enabled", CtyType.BOOL, "key_id", CtyType.STRING));
    private static final CtyType CMK_CHANGE = CtyType.objectOf(Map.of("master_keys_rewrapped", CtyType.NUMBER,
            "master_keys_total", CtyType.NUMBER, "started_time", CtyType.STRING, "last_error", CtyType.STRING));

    static final Block SCHEMA = Block.of("Reads a project's encryption-at-rest configuration. The secret access "
            + "key is never returned. A project the key service has never configured reads as `provider = \"NONE\"`, "
            + "`generation = 0`, like a cluster never configured in `atrest_cluster_encryption`; an invalid "
            + "`project_id` is an error.", List.of(
            required("project_id", CtyType.STRING, "The project."),
            computed("id", CtyType.STRING, "The project id."),
            computed("provider", CtyType.STRING, "`AWS`, `LOCAL`, or `NONE` when encryption is disabled."),
            computed("valid", CtyType.BOOL, "Whether the last check could use the root key."),
            computed("validation_error", CtyType.STRING, "Why the last check failed."),
            computed("cmk_last_changed_time", CtyType.STRING, "When the root key last changed (RFC 3339)."),
            computed("last_validated_time", CtyType.STRING, "When the root key was last checked (RFC 3339)."),
            computed("aws_kms_config", AWS_KMS, "AWS KMS settings, without the secret access key."),
            computed("local_key_config", LOCAL_KEY, "LOCAL root-key settings."),
            computed(ProjectEncryptionSchema.ALERT_DAYS, CtyType.NUMBER,
                    "Days after the last root-key change at which CMK_ROTATION_OVERDUE opens."),
            computed("cmk_change", CMK_CHANGE, "A root-key change still re-wrapping master keys: "
                    + "`master_keys_rewrapped`, `master_keys_total`, `started_time`, `last_error`; null when none is."),
            computed(Incarnations.GENERATION, CtyType.NUMBER, "Which incarnation of the project's encryption this is: "
                    + "the key service counts each switch from `NONE` to `AWS`/`LOCAL`; 0 before the first.")));

    @Override
    public String typeName() {
        return ProjectEncryptionSchema.TYPE_NAME;
    }

    @Override
    public Block schema() {
        return SCHEMA;
    }

    @Override
    public void validate(Map<String, Object> config, Diagnostics diagnostics) {
        IdentifierRules.check(config, "project_id", "project_id", diagnostics);
    }

    @Override
    public Map<String, Object> read(Map<String, Object> config, AtrestClient client, Diagnostics diagnostics) {
        String projectId = Values.string(config, "project_id");
        ProjectEncryption stored;
        try {
            stored = ServiceRetry.read(client, () -> client.projects().getProjectEncryption(
                    GetProjectEncryptionRequest.newBuilder().setProjectId(projectId).build()));
        } catch (StatusRuntimeException e) {
            if (!ServiceErrors.isNotFound(e)) {
                ServiceErrors.report("read encryption of project " + projectId, e,
                        ProjectEncryptionMapping.errorMapping(null), client.endpoint(), diagnostics);
                return null;
            }
            // Never configured: as the service itself answers for a cluster never configured, encryption is off.
            stored = ProjectEncryption.newBuilder().setProjectId(projectId)
                    .setProvider(EncryptionAtRestProvider.NONE).build();
        }
        return toState(config, stored);
    }

    private static Map<String, Object> toState(Map<String, Object> config, ProjectEncryption stored) {
        Map<String, Object> state = new LinkedHashMap<>(config);
        state.put("id", stored.getProjectId());
        state.put("provider", ClusterEncryptionMapping.providerName(stored.getProvider()));
        state.put("valid", stored.getValid());
        state.put("validation_error", ServiceText.orNull(stored.getValidationError()));
        state.put("cmk_last_changed_time", ServiceText.time(stored.getCmkLastChangedTime()));
        state.put("last_validated_time", ServiceText.time(stored.getLastValidatedTime()));
        Map<String, Object> resourceView = ProjectEncryptionMapping.toState(stored, Map.of());
        state.put("aws_kms_config", withoutSecret(resourceView.get(ProjectEncryptionSchema.AWS)));
        state.put("local_key_config", resourceView.get(ProjectEncryptionSchema.LOCAL));
        state.put(ProjectEncryptionSchema.ALERT_DAYS, resourceView.get(ProjectEncryptionSchema.ALERT_DAYS));
        state.put("cmk_change", stored.hasCmkChange() ? cmkChange(stored.getCmkChange()) : null);
        state.put(Incarnations.GENERATION, resourceView.get(Incarnations.GENERATION));
        return state;
    }

    private static Map<String, Object> cmkChange(CmkChange change) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("master_keys_rewrapped", BigDecimal.valueOf(change.getMasterKeysRewrapped()));
        object.put("master_keys_total", BigDecimal.valueOf(change.getMasterKeysTotal()));
        object.put("started_time", ServiceText.time(change.getStartedTime()));
        object.put("last_error", ServiceText.orNull(change.getLastError()));
        return object;
    }

    private static Object withoutSecret(Object awsBlock) {
        if (awsBlock == null) {
            return null;
        }
        Map<String, Object> aws = Values.copy(awsBlock);
        aws.remove("secret_access_key");
        return aws;
    }
}
