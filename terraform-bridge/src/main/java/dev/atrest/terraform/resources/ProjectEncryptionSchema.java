package dev.atrest.terraform.resources;

import static dev.atrest.terraform.wire.Attribute.computed;
import static dev.atrest.terraform.wire.Attribute.optional;
import static dev.atrest.terraform.wire.Attribute.optionalComputed;
import static dev.atrest.terraform.wire.Attribute.required;

import dev.atrest.terraform.wire.Block;
import dev.atrest.terraform.wire.CtyType;
import java.util.List;

/** The schema of {@code atrest_project_encryption}. */
final class ProjectEncryptionSchema {

    static final String TYPE_NAME = "atrest_project_encryption";
    static final String AWS = "aws_kms_config";
    static final String LOCAL = "local_key_config";
    static final String ALERT_DAYS = "cmk_rotation_alert_days";
    /** Computed attributes a change of configuration may change: unknown in the plan of any update. */
    static final List<String> VOLATILE_COMPUTED = List.of("valid", "validation_error", "cmk_last_changed_time",
            Incarnations.GENERATION);

    static final Block AWS_KMS_CONFIG = Block.of("How the key service reaches the customer master key in AWS KMS. "
            + "Credentials: `role_arn` (optionally with `external_id`) or `access_key_id` + `secret_access_key`, "
            + "never both; with neither, the service's own AWS credentials are used.", List.of(
            required("enabled", CtyType.BOOL, "Whether AWS KMS is the project's encryption-at-rest provider."),
            optional("customer_master_key_id", CtyType.STRING,
                    "The CMK: key id, key ARN or alias ARN. Required when `enabled`."),
            optional("region", CtyType.STRING, "AWS region of the CMK, e.g. `us-east-1`. Required when `enabled`."),
            optional("role_arn", CtyType.STRING, "IAM role the service assumes to use the CMK."),
            optional("external_id", CtyType.STRING, "External id the role's trust policy expects. Only with `role_arn`."),
            optional("access_key_id", CtyType.STRING, "Static credentials: access key id."),
            optional("secret_access_key", CtyType.STRING, "Static credentials: secret access key. Sent to the "
                    + "service, kept only in Terraform state, never read back.").asSensitive()));

    static final Block LOCAL_KEY_CONFIG = Block.of("A root key kept by the key service itself. For development "
            + "and demos; the service refuses it unless enabled in its configuration.", List.of(
            required("enabled", CtyType.BOOL, "Whether the LOCAL root key is the project's provider."),
            optionalComputed("key_id", CtyType.STRING,
                    "Which local root key to use; the service defaults it to `default`. Changing it rotates the root.")));

    static final Block SCHEMA = new Block("Encryption at rest for a project: the root key (a CMK in AWS KMS, or "
            + "a LOCAL key) that protects every key of the project's clusters. Destroying it disables encryption, "
            + "which the service refuses while any cluster of the project is still encrypted: destroy waits for "
            + "them within `timeouts.delete`. Create refuses a project whose encryption is already on (import it "
            + "instead); destroy switches off only the encryption this resource switched on (see `generation`).", List.of(
            computed("id", CtyType.STRING, "The project id."),
            required("project_id", CtyType.STRING, "The project. Changing it replaces the resource."),
            computed("valid", CtyType.BOOL, "Whether the service's last check could use the root key."),
            computed("validation_error", CtyType.STRING, "Why the last check failed, in KMS's words."),
            computed("cmk_last_changed_time", CtyType.STRING, "When the root key last changed (RFC 3339)."),
            optionalComputed(ALERT_DAYS, CtyType.NUMBER, "Days after the last root-key change at which the "
                    + "service opens a CMK_ROTATION_OVERDUE alert: at least 1; the service's default is 365. "
                    + "Changing it updates in place; removing it from the configuration keeps the stored value."),
            computed(Incarnations.GENERATION, CtyType.NUMBER, "Which incarnation of the project's encryption this "
                    + "object manages: the key service counts each switch from `NONE` to `AWS`/`LOCAL` (0 before the "
                    + "first); a new CMK or local key keeps it. Destroy switches encryption off only while the service "
                    + "still holds this generation; a refresh that finds another one treats the object as gone. "
                    + "Filled by apply, import and refresh.")),
            List.of(new Block.NestedBlock(AWS, Block.Nesting.SINGLE, AWS_KMS_CONFIG),
                    new Block.NestedBlock(LOCAL, Block.Nesting.SINGLE, LOCAL_KEY_CONFIG), Timeouts.PROJECT));

    private ProjectEncryptionSchema() {
    }
}
