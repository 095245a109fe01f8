package dev.atrest.terraform.resources;

import static dev.atrest.terraform.resources.ProjectEncryptionSchema.AWS;
import static dev.atrest.terraform.resources.ProjectEncryptionSchema.LOCAL;

import dev.atrest.terraform.provider.Diagnostics;
import dev.atrest.terraform.wire.Values;
import java.util.List;
import java.util.Map;

/**
 * The configuration rules of {@code atrest_project_encryption} that need no service, so mistakes fail at
 * plan with a diagnostic on the attribute. Unknown values are skipped: they are checked again at apply.
 */
final class ProjectEncryptionValidation {

    private static final List<String> AWS_STRINGS = List.of("customer_master_key_id", "region", "role_arn",
            "external_id", "access_key_id", "secret_access_key");
    /**
     * Upper bounds no valid AWS value exceeds (the service checks the exact formats). Checked here so that a
     * megabyte-long value fails at plan on its attribute, instead of making the request too large for the
     * service, which could then only answer RESOURCE_EXHAUSTED for the request as a whole.
     */
    private static final Map<String, Integer> AWS_MAX_LENGTHS = Map.of("customer_master_key_id", 2048,
            "region", 64, "role_arn", 2048, "external_id", 1224, "access_key_id", 128, "secret_access_key", 128);

    private ProjectEncryptionValidation() {
    }

    static void validate(Map<String, Object> config, Diagnostics diagnostics) {
        IdentifierRules.check(config, "project_id", "project_id", diagnostics);
        DayCountRule.check(config, ProjectEncryptionSchema.ALERT_DAYS, diagnostics);
        Map<String, Object> aws = Values.object(config.get(AWS));
        Map<String, Object> local = Values.object(config.get(LOCAL));
        if (!aws.isEmpty()) {
            validateAws(aws, diagnostics);
        }
        if (!local.isEmpty()) {
            IdentifierRules.check(local, "key_id", LOCAL + ".key_id", diagnostics);
        }
        if (Values.bool(aws, "enabled") && Values.bool(local, "enabled")) {
            diagnostics.attributeError(LOCAL + ".enabled", "two providers enabled",
                    "enable either aws_kms_config or local_key_config, not both");
        }
    }

    private static void validateAws(Map<String, Object> aws, Diagnostics diagnostics) {
        for (String name : AWS_STRINGS) {
            if ("".equals(aws.get(name))) {
                diagnostics.attributeError(AWS + "." + name, "empty " + name,
                        name + " must not be empty: leave it out instead");
            } else if (aws.get(name) instanceof String value && value.length() > AWS_MAX_LENGTHS.get(name)) {
                diagnostics.attributeError(AWS + "." + name, "invalid " + name, name + " must be at most "
                        + AWS_MAX_LENGTHS.get(name) + " characters; got " + value.length()); // never the value: it may be a secret
            }
        }
        if (Boolean.TRUE.equals(aws.get("enabled"))) {
            requireWhenEnabled(aws, "customer_master_key_id", diagnostics);
            requireWhenEnabled(aws, "region", diagnostics);
        }
        boolean roleArn = isSet(aws, "role_arn");
        boolean accessKeys = isSet(aws, "access_key_id") || isSet(aws, "secret_access_key");
        if (roleArn && accessKeys) {
            diagnostics.attributeError(AWS + ".role_arn", "conflicting AWS credentials",
                    "use either role_arn (with an optional external_id) or access_key_id + secret_access_key, not both");
        }
        if (isSet(aws, "external_id") && aws.get("role_arn") == null) {
            diagnostics.attributeError(AWS + ".external_id", "external_id without role_arn",
                    "external_id is only used when assuming role_arn");
        }
        if (isSet(aws, "secret_access_key") && aws.get("access_key_id") == null) {
            diagnostics.attributeError(AWS + ".access_key_id", "missing access_key_id",
                    "secret_access_key needs the access_key_id it belongs to");
        }
    }

    private static void requireWhenEnabled(Map<String, Object> aws, String name, Diagnostics diagnostics) {
        if (aws.get(name) == null) { // null, not unknown
            diagnostics.attributeError(AWS + "." + name, "missing " + name,
                    name + " is required when aws_kms_config is enabled");
        }
    }

    /** Known and non-empty, or unknown (it will have a value): either way, the user set it. */
    private static boolean isSet(Map<String, Object> object, String name) {
        Object value = object.get(name);
        return value != null && !"".equals(value);
    }
}
