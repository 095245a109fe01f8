package dev.atrest.terraform.resources;

import static dev.atrest.terraform.resources.ProjectEncryptionSchema.AWS_KMS_CONFIG;
import static dev.atrest.terraform.resources.ProjectEncryptionSchema.LOCAL_KEY_CONFIG;
import static dev.atrest.terraform.resources.ProjectEncryptionSchema.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6;
import dev.atrest.terraform.provider.AttributePaths;
import dev.atrest.terraform.provider.Diagnostics;
import dev.atrest.terraform.provider.ManagedResource;
import dev.atrest.terraform.wire.Unknown;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProjectEncryptionResourceTest {

    private final ProjectEncryptionResource resource = new ProjectEncryptionResource();
    private final FakeKeyService service;
    private final Diagnostics diagnostics = new Diagnostics();

    ProjectEncryptionResourceTest() throws Exception {
        service = new FakeKeyService();
    }

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void validate_emptyProjectId_errorOnProjectId() {
        resource.validate(TerraformValues.of(SCHEMA, "project_id", ""), diagnostics);

        assertThat(errorPaths()).containsExactly("project_id");
    }

    @Test
    void validate_roleArnAndAccessKeys_errorOnRoleArn() {
        Map<String, Object> aws = awsBlock("arn:aws:kms:us-east-1:111122223333:key/k1", "us-east-1");
        aws.put("role_arn", "arn:aws:iam::111122223333:role/atrest");
        aws.put("access_key_id", "AKIAEXAMPLE");
        aws.put("secret_access_key", "s3cr3t");

        resource.validate(TerraformValues.of(SCHEMA, "project_id", "p1", "aws_kms_config", aws), diagnostics);

        assertThat(errorPaths()).containsExactly("aws_kms_config.role_arn");
        assertThat(diagnostics.asList().get(0).getDetail()).doesNotContain("s3cr3t");
    }

    @Test
    void validate_enabledWithoutRegion_errorOnRegion() {
        resource.validate(TerraformValues.of(SCHEMA, "project_id", "p1", "aws_kms_config", awsBlock("k1", null)),
                diagnostics);

        assertThat(errorPaths()).containsExactly("aws_kms_config.region");
    }

    @Test
    void validate_valuesStillUnknown_noErrors() {
        Map<String, Object> aws = awsBlock(Unknown.VALUE, Unknown.VALUE);
        aws.put("enabled", Unknown.VALUE);

        resource.validate(TerraformValues.of(SCHEMA, "project_id", Unknown.VALUE, "aws_kms_config", aws), diagnostics);

        assertThat(diagnostics.asList()).isEmpty();
    }

    @Test
    void schema_alertDaysSettableAndComputed() {
        assertThat(SCHEMA.attribute("cmk_rotation_alert_days").optional()).isTrue();
        assertThat(SCHEMA.attribute("cmk_rotation_alert_days").computed()).isTrue();
    }

    @Test
    void validate_alertDaysZero_errorOnAlertDaysNamingTheRule() {
        Map<String, Object> config = localConfig("p1", null);
        config.put("cmk_rotation_alert_days", BigDecimal.ZERO);

        resource.validate(config, diagnostics);

        assertThat(errorPaths()).containsExactly("cmk_rotation_alert_days");
        assertThat(diagnostics.asList().get(0).getSummary()).isEqualTo("invalid cmk_rotation_alert_days");
        assertThat(diagnostics.asList().get(0).getDetail())
                .isEqualTo("cmk_rotation_alert_days must be at least 1 day; got 0");
    }

    @Test
    void plan_createWithoutAlertDays_unknownForTheServiceDefault() {
        Map<String, Object> config = localConfig("p1", null);

        assertThat(resource.plan(null, config, config).planned()).containsEntry("cmk_rotation_alert_days", Unknown.VALUE);
    }

    @Test
    void apply_alertDaysLeftOutWhileAnotherClientChangedIt_keepsTheOtherClientsValue() {
        Map<String, Object> state = applied(localConfig("p1", "k1"));
        Map<String, Object> config = localConfig("p1", "k2");
        Map<String, Object> proposed = new java.util.LinkedHashMap<>(config);
        proposed.put("cmk_rotation_alert_days", state.get("cmk_rotation_alert_days")); // what Terraform proposes
        ManagedResource.Plan plan = resource.plan(state, proposed, config);
        // Between plan and apply another client changes the threshold.
        service.projects.put("p1", service.projects.get("p1").toBuilder().setCmkRotationAlertDays(400).build());

        Map<String, Object> updated = resource.apply(state, plan.planned(), config, service.client, diagnostics);

        assertThat(plan.planned()).containsEntry("cmk_rotation_alert_days", Unknown.VALUE);
        assertThat(service.projects.get("p1").getCmkRotationAlertDays()).isEqualTo(400);
        assertThat(updated).containsEntry("cmk_rotation_alert_days", BigDecimal.valueOf(400));
    }

    @Test
    void apply_alertDaysUnsetThenSet_defaultThenUpdatedInPlace() {
        Map<String, Object> state = applied(localConfig("p1", null));
        Map<String, Object> proposed = new java.util.LinkedHashMap<>(state);
        proposed.put("cmk_rotation_alert_days", BigDecimal.valueOf(90));

        ManagedResource.Plan plan = resource.plan(state, proposed, proposed);
        Map<String, Object> updated = resource.apply(state, plan.planned(), proposed, service.client, diagnostics);

        assertThat(state).containsEntry("cmk_rotation_alert_days", BigDecimal.valueOf(365));
        assertThat(plan.requiresReplace()).isEmpty();
        assertThat(updated).containsEntry("cmk_rotation_alert_days", BigDecimal.valueOf(90));
        assertThat(service.projects.get("p1").getCmkRotationAlertDays()).isEqualTo(90);
        assertThat(resource.read(updated, service.client, diagnostics)).isEqualTo(updated);
    }

    @Test
    void apply_alertDaysNegativeOnlyKnownAtApply_errorOnAttributeAndNothingStored() {
        Map<String, Object> config = localConfig("p1", null);
        config.put("cmk_rotation_alert_days", Unknown.VALUE);
        Map<String, Object> planned = resource.plan(null, config, config).planned();
        planned.put("cmk_rotation_alert_days", BigDecimal.valueOf(-5));

        assertThat(resource.apply(null, planned, config, service.client, diagnostics)).isNull();
        assertThat(errorPaths()).containsExactly("cmk_rotation_alert_days");
        assertThat(service.projects).isEmpty();
    }

    @Test
    void apply_projectIdOnlyKnownAtApplyAndInvalid_errorOnProjectIdAndNothingStored() {
        Map<String, Object> config = localConfig("p1", null);
        config.put("project_id", Unknown.VALUE);
        Map<String, Object> planned = resource.plan(null, config, config).planned();
        planned.put("project_id", "n".repeat(1 << 20));

        assertThat(resource.apply(null, planned, config, service.client, diagnostics)).isNull();
        assertThat(errorPaths()).containsExactly("project_id");
        assertThat(diagnostics.asList().get(0).getDetail()).hasSizeLessThan(300).endsWith("(1048576 characters)");
        assertThat(service.projects).isEmpty();
    }

    @Test
    void validate_megabyteAwsValues_errorOnEachWithoutQuotingThem() {
        Map<String, Object> aws = awsBlock("k".repeat(1 << 20), "r".repeat(1 << 20));
        aws.put("access_key_id", "A".repeat(1 << 20));
        aws.put("secret_access_key", "s".repeat(1 << 20));

        resource.validate(TerraformValues.of(SCHEMA, "project_id", "p1", "aws_kms_config", aws), diagnostics);

        assertThat(errorPaths()).containsExactlyInAnyOrder("aws_kms_config.customer_master_key_id",
                "aws_kms_config.region", "aws_kms_config.access_key_id", "aws_kms_config.secret_access_key");
        assertThat(diagnostics.asList()).allSatisfy(d -> assertThat(d.getDetail()).hasSizeLessThan(100));
    }

    @Test
    void apply_serviceRejectsAlertDays_diagnosticOnThatAttribute() {
        Map<String, Object> config = localConfig("p1", null);
        service.failNextWrite(Code.INVALID_ARGUMENT, "invalid request", FakeKeyService.fieldViolation(
                "project_encryption.cmk_rotation_alert_days", "must be at least 1 day"));

        resource.apply(null, resource.plan(null, config, config).planned(), config, service.client, diagnostics);

        assertThat(errorPaths()).containsExactly("cmk_rotation_alert_days");
    }

    @Test
    void plan_create_marksComputedUnknownAndTakesIdFromProjectId() {
        Map<String, Object> config = localConfig("p1", null);

        ManagedResource.Plan plan = resource.plan(null, config, config);

        assertThat(plan.planned()).containsEntry("id", "p1").containsEntry("valid", Unknown.VALUE)
                .containsEntry("cmk_last_changed_time", Unknown.VALUE);
        assertThat(block(plan.planned().get("local_key_config"))).containsEntry("key_id", Unknown.VALUE);
        assertThat(plan.requiresReplace()).isEmpty();
    }

    @Test
    void plan_nothingChanged_returnsPriorExactly() {
        Map<String, Object> state = applied(awsConfig("p1", "k1", "s3cr3t"));

        ManagedResource.Plan plan = resource.plan(state, state, awsConfig("p1", "k1", "s3cr3t"));

        assertThat(plan.planned()).isEqualTo(state);
        assertThat(plan.requiresReplace()).isEmpty();
    }

    @Test
    void plan_projectIdChanged_requiresReplacement() {
        Map<String, Object> state = applied(localConfig("p1", "default"));
        Map<String, Object> proposed = new java.util.LinkedHashMap<>(state);
        proposed.put("project_id", "p2");

        assertThat(resource.plan(state, proposed, proposed).requiresReplace()).containsExactly("project_id");
    }

    @Test
    void plan_cmkChanged_updatesInPlaceWithComputedUnknown() {
        Map<String, Object> state = applied(awsConfig("p1", "k1", null));
        Map<String, Object> proposed = new java.util.LinkedHashMap<>(state);
        proposed.put("aws_kms_config", awsBlock("k2", "us-east-1"));

        ManagedResource.Plan plan = resource.plan(state, proposed, proposed);

        assertThat(plan.requiresReplace()).isEmpty();
        assertThat(plan.planned()).containsEntry("valid", Unknown.VALUE).containsEntry("id", "p1");
    }

    @Test
    void apply_create_returnsPlannedValuesAndKeepsSecretOnlyInState() {
        Map<String, Object> config = awsConfig("p1", "k1", "s3cr3t");
        Map<String, Object> planned = resource.plan(null, config, config).planned();

        Map<String, Object> state = resource.apply(null, planned, config, service.client, diagnostics);

        assertThat(diagnostics.asList()).isEmpty();
        assertThat(state).containsEntry("valid", true).containsEntry("cmk_last_changed_time", "2026-09-21T14:13:20Z");
        assertThat(block(state.get("aws_kms_config"))).containsEntry("secret_access_key", "s3cr3t")
                .containsEntry("customer_master_key_id", "k1");
        assertThat(service.projects.get("p1").getAwsKms().getSecretAccessKey()).isEmpty();
    }

    @Test
    void read_afterApply_matchesStateSoNextPlanIsEmpty() {
        Map<String, Object> state = applied(awsConfig("p1", "k1", "s3cr3t"));

        Map<String, Object> refreshed = resource.read(state, service.client, diagnostics);

        assertThat(refreshed).isEqualTo(state);
        assertThat(resource.plan(refreshed, refreshed, awsConfig("p1", "k1", "s3cr3t")).planned()).isEqualTo(state);
    }

    @Test
    void read_cmkChangedOutsideTerraform_showsTheNewCmk() {
        Map<String, Object> state = applied(awsConfig("p1", "k1", null));
        service.projects.computeIfPresent("p1", (id, stored) -> stored.toBuilder()
                .setAwsKms(stored.getAwsKms().toBuilder().setCustomerMasterKeyId("k-outside")).build());

        Map<String, Object> refreshed = resource.read(state, service.client, diagnostics);

        assertThat(block(refreshed.get("aws_kms_config"))).containsEntry("customer_master_key_id", "k-outside");
    }

    @Test
    void read_projectUnknownToService_returnsNullSoTerraformRecreates() {
        assertThat(resource.read(TerraformValues.of(SCHEMA, "id", "gone", "project_id", "gone"), service.client,
                diagnostics)).isNull();
        assertThat(diagnostics.asList()).isEmpty();
    }

    @Test
    void apply_serviceRejectsField_diagnosticOnThatAttributeAndNoState() {
        Map<String, Object> config = awsConfig("p1", "k1", null);
        service.failNextWrite(Code.INVALID_ARGUMENT, "invalid request",
                FakeKeyService.fieldViolation("project_encryption.aws_kms.region", "unknown region \"mars-1\""));

        Map<String, Object> state = resource.apply(null, resource.plan(null, config, config).planned(), config,
                service.client, diagnostics);

        assertThat(state).isNull();
        assertThat(errorPaths()).containsExactly("aws_kms_config.region");
        assertThat(diagnostics.asList().get(0).getSummary()).isEqualTo("cannot enable encryption of project p1");
        assertThat(diagnostics.asList().get(0).getDetail()).contains("mars-1");
    }

    @Test
    void apply_delete_disablesAndRemovesState() {
        Map<String, Object> state = applied(localConfig("p1", null));

        assertThat(resource.apply(state, null, null, service.client, diagnostics)).isNull();
        assertThat(service.projects.get("p1").getLocalKey().getEnabled()).isFalse();
    }

    @Test
    void importState_thenRead_matchesConfigurationWithoutChanges() {
        applied(localConfig("p1", null));

        Map<String, Object> imported = resource.read(resource.importState("p1", diagnostics), service.client, diagnostics);
        Map<String, Object> proposed = new java.util.LinkedHashMap<>(imported); // config: local_key_config { enabled = true }

        assertThat(block(imported.get("local_key_config"))).containsEntry("enabled", true).containsEntry("key_id", "default");
        assertThat(imported.get("aws_kms_config")).isNull();
        assertThat(resource.plan(imported, proposed, proposed).planned()).isEqualTo(imported);
    }

    private Map<String, Object> applied(Map<String, Object> config) {
        Map<String, Object> state = resource.apply(null, resource.plan(null, config, config).planned(), config,
                service.client, diagnostics);
        assertThat(diagnostics.asList()).isEmpty();
        return state;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> block(Object value) {
        return (Map<String, Object>) value;
    }

    private List<String> errorPaths() {
        return diagnostics.asList().stream().map(Tfplugin6.Diagnostic::getAttribute).map(AttributePaths::dotted).toList();
    }

    private static Map<String, Object> awsConfig(String projectId, String cmk, String secret) {
        Map<String, Object> aws = awsBlock(cmk, "us-east-1");
        if (secret != null) {
            aws.put("access_key_id", "AKIAEXAMPLE");
            aws.put("secret_access_key", secret);
        }
        return TerraformValues.of(SCHEMA, "project_id", projectId, "aws_kms_config", aws);
    }

    private static Map<String, Object> awsBlock(Object cmk, Object region) {
        return TerraformValues.of(AWS_KMS_CONFIG, "enabled", true, "customer_master_key_id", cmk, "region", region);
    }

    private static Map<String, Object> localConfig(String projectId, String keyId) {
        return TerraformValues.of(SCHEMA, "project_id", projectId,
                "local_key_config", TerraformValues.of(LOCAL_KEY_CONFIG, "enabled", true, "key_id", keyId));
    }
}
