package dev.atrest.keyservice.domain;

import dev.atrest.contract.IdentifierRule;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The format rules for every identifier and AWS value the API accepts. Descriptions name the rule,
 * never the rejected value: it may be a secret, or megabytes long. Which identifiers are well formed is
 * the contract's {@link IdentifierRule}, which the Terraform provider checks too.
 */
public final class InputRules {
    public static final int MAX_ID_LENGTH = IdentifierRule.MAX_LENGTH;

    private static final String ID_RULE =
            "must be 1 to 64 characters of A-Z, a-z, 0-9, '_' or '-', starting with a letter or digit";
    private static final Pattern UUID_KEY_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}");
    /**
     * An ARN's partition: aws, aws-cn, aws-us-gov, aws-iso-b … At most three segments, because a repeated group
     * recurses once per repetition in java.util.regex: "arn:aws" followed by thousands of "-a" overflowed the
     * stack (an Error, so INTERNAL) instead of failing the rule.
     */
    private static final String PARTITION = "arn:aws(?:-[a-z]+){0,3}";
    private static final Pattern KMS_ARN = Pattern.compile(
            PARTITION + ":kms:(?<region>[a-z0-9-]{1,32}):(\\d{12}):(key/[0-9a-f-]{36}|key/mrk-[0-9a-f]{32}|alias/[A-Za-z0-9/_-]{1,250})");
    private static final Pattern ROLE_ARN = Pattern.compile(PARTITION + ":iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Z0-9]{16,128}");
    private static final Pattern PRINTABLE_ASCII = Pattern.compile("[\\x21-\\x7e]{1,128}");

    private final Predicate<String> knownRegion;

    /** @param knownRegion tells whether a string names an AWS region (supplied by the KMS adapter) */
    public InputRules(Predicate<String> knownRegion) {
        this.knownRegion = knownRegion;
    }

    public static void requireId(Violations violations, String field, String value) {
        if (value == null || value.isEmpty()) {
            violations.add(field, "is required");
        } else if (!IdentifierRule.matches(value)) {
            violations.add(field, ID_RULE);
        }
    }

    /** Whether {@code value} is a well-formed id (project, cluster, database …). */
    public static boolean isId(String value) {
        return IdentifierRule.matches(value);
    }

    public void checkAws(Violations violations, String prefix, AwsKmsSettings aws) {
        String keyField = prefix + ".customer_master_key_id";
        String regionField = prefix + ".region";
        if (blank(aws.customerMasterKeyId())) {
            violations.add(keyField, "is required when AWS KMS is enabled");
        } else {
            checkKeyId(violations, keyField, aws.customerMasterKeyId(), aws.region());
        }
        if (blank(aws.region())) {
            violations.add(regionField, "is required when AWS KMS is enabled");
        } else if (!knownRegion.test(aws.region())) {
            violations.add(regionField, "must be an AWS region such as us-east-1");
        }
        checkCredentials(violations, prefix, aws);
    }

    private static void checkKeyId(Violations violations, String field, String keyId, String region) {
        if (keyId.length() > 2048) {
            violations.add(field, "must be at most 2048 characters");
            return;
        }
        if (UUID_KEY_ID.matcher(keyId).matches()) {
            return;
        }
        var arn = KMS_ARN.matcher(keyId);
        if (!arn.matches()) {
            violations.add(field, "must be a KMS key id, key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID) "
                    + "or alias ARN (arn:aws:kms:REGION:ACCOUNT:alias/NAME)");
        } else if (!blank(region) && !arn.group("region").equals(region)) {
            violations.add(field, "names a key in another region than 'region'");
        }
    }

    private static void checkCredentials(Violations violations, String prefix, AwsKmsSettings aws) {
        if (aws.usesRole() && (aws.usesStaticKeys() || aws.secretAccessKey() != null)) {
            violations.add(prefix + ".role_arn",
                    "cannot be combined with access_key_id/secret_access_key: choose one way to authenticate");
        }
        if (aws.usesRole() && !ROLE_ARN.matcher(aws.roleArn()).matches()) {
            violations.add(prefix + ".role_arn", "must be an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)");
        }
        if (aws.externalId() != null) {
            if (!aws.usesRole()) {
                violations.add(prefix + ".external_id", "is only allowed with role_arn");
            } else if (!EXTERNAL_ID.matcher(aws.externalId()).matches()) {
                violations.add(prefix + ".external_id",
                        "must be 2 to 1224 characters of letters, digits and +=,.@:/-_");
            }
        }
        if (aws.usesStaticKeys() && !ACCESS_KEY_ID.matcher(aws.accessKeyId()).matches()) {
            violations.add(prefix + ".access_key_id", "must be 16 to 128 characters of A-Z and 0-9");
        }
        SecretValue secret = aws.secretAccessKey();
        if (secret != null && !aws.usesStaticKeys()) {
            violations.add(prefix + ".secret_access_key", "is only allowed with access_key_id");
        } else if (secret != null && !PRINTABLE_ASCII.matcher(secret.asUtf8()).matches()) {
            violations.add(prefix + ".secret_access_key", "must be 1 to 128 printable ASCII characters");
        }
    }

    public static void checkLocalKeyId(Violations violations, String field, String keyId) {
        if (!IdentifierRule.matches(keyId)) {
            violations.add(field, ID_RULE);
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isEmpty();
    }
}
