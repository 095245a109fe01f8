package dev.atrest.keyservice.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InputRulesTest {
    private static final String KEY = "1234abcd-12ab-34cd-56ef-1234567890ab";
    private final InputRules rules = new InputRules(Set.of("us-east-1", "eu-west-1")::contains);

    @ParameterizedTest
    @ValueSource(strings = {KEY, "mrk-1234abcd12ab34cd56ef1234567890ab",
            "arn:aws:kms:us-east-1:123456789012:key/" + KEY, "arn:aws:kms:us-east-1:123456789012:alias/my-key",
            "arn:aws-us-gov:kms:us-east-1:123456789012:alias/team/key_1"})
    void checkAws_acceptedKeyForms_noViolation(String keyId) {
        assertThatCode(() -> check(aws(keyId, "us-east-1", null, null, null, null))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"alias/my-key", "not-a-key", "arn:aws:kms:us-east-1:123:key/" + KEY,
            "arn:aws:s3:::bucket", "arn:aws:kms:us-east-1:123456789012:alias/", "1234ABCD-12AB-34CD-56EF-1234567890AB"})
    void checkAws_malformedKeyIds_violationOnKeyField(String keyId) {
        assertViolation(aws(keyId, "us-east-1", null, null, null, null), "x.customer_master_key_id");
    }

    @Test
    void checkAws_unknownRegion_violationOnRegion() {
        assertViolation(aws(KEY, "moon-1", null, null, null, null), "x.region");
    }

    @Test
    void checkAws_keyArnRegionDiffers_violationOnKeyField() {
        assertViolation(aws("arn:aws:kms:eu-west-1:123456789012:key/" + KEY, "us-east-1", null, null, null, null),
                "x.customer_master_key_id");
    }

    @Test
    void checkAws_roleAndStaticKeys_violationOnRole() {
        assertViolation(aws(KEY, "us-east-1", "arn:aws:iam::123456789012:role/atrest", null, "AKIAIOSFODNN7EXAMPLE",
                SecretValue.ofUtf8("secret")), "x.role_arn");
    }

    /** Found by the request fuzzing: the partition group recursed once per "-x", overflowing the stack. */
    @Test
    void checkAws_arnsWithThousandsOfPartitionSegments_violationNotStackOverflow() {
        String partitions = "-a".repeat(20_000);
        assertViolation(aws(KEY, "us-east-1", "arn:aws" + partitions + ":iam::123456789012:role/r", null, null, null),
                "x.role_arn");
        assertViolation(aws("arn:aws" + partitions.substring(0, 2000) + ":kms:us-east-1:123456789012:alias/k",
                "us-east-1", null, null, null, null), "x.customer_master_key_id");
    }

    @Test
    void checkAws_violations_neverEchoTheValue() {
        String secret = "\u00e9\u00e9-very-secret";
        assertThatThrownBy(() -> check(aws(KEY, "us-east-1", null, null, "AKIAIOSFODNN7EXAMPLE", SecretValue.ofUtf8(secret))))
                .isInstanceOfSatisfying(InvalidArgumentException.class,
                        e -> assertThat(e.getMessage()).contains("x.secret_access_key").doesNotContain(secret));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-leading-dash", "has space", "x/y", "caf\u00e9"})
    void requireId_badIds_violation(String id) {
        Violations violations = new Violations();
        InputRules.requireId(violations, "project_id", id);
        assertThat(violations.isEmpty()).isFalse();
    }

    @Test
    void requireId_sixtyFiveCharacters_violation() {
        Violations violations = new Violations();
        InputRules.requireId(violations, "project_id", "a".repeat(65));
        assertThat(violations.isEmpty()).isFalse();
        Violations ok = new Violations();
        InputRules.requireId(ok, "project_id", "a".repeat(64));
        assertThat(ok.isEmpty()).isTrue();
    }

    private void check(AwsKmsSettings aws) {
        Violations violations = new Violations();
        rules.checkAws(violations, "x", aws);
        violations.throwIfAny();
    }

    private void assertViolation(AwsKmsSettings aws, String field) {
        assertThatThrownBy(() -> check(aws)).isInstanceOfSatisfying(InvalidArgumentException.class,
                e -> assertThat(e.violations()).extracting(FieldViolation::field).contains(field));
    }

    private static AwsKmsSettings aws(String key, String region, String role, String externalId, String accessKeyId,
                                      SecretValue secret) {
        return new AwsKmsSettings(key, region, role, externalId, accessKeyId, secret);
    }
}
