package dev.atrest.terraform.resources;

import static dev.atrest.terraform.resources.ClusterEncryptionResource.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import dev.atrest.terraform.provider.AttributePaths;
import dev.atrest.terraform.provider.Diagnostics;
import dev.atrest.terraform.provider.ManagedResource;
import dev.atrest.terraform.wire.Unknown;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterEncryptionResourceTest {

    private final ClusterEncryptionResource resource = new ClusterEncryptionResource();
    private final FakeKeyService service;
    private final Diagnostics diagnostics = new Diagnostics();

    ClusterEncryptionResourceTest() throws Exception {
        service = new FakeKeyService();
    }

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void validate_unknownProviderValue_errorOnProviderAttribute() {
        resource.validate(config("p1", "c1", "GCP"), diagnostics);

        assertThat(diagnostics.asList()).singleElement().satisfies(d ->
                assertThat(AttributePaths.dotted(d.getAttribute())).isEqualTo("encryption_at_rest_provider"));
    }

    @Test
    void schema_periodSettableAndComputedAndRotationTimesReadOnly() {
        assertThat(SCHEMA.attribute("rotation_period_days")).satisfies(a -> {
            assertThat(a.optional()).isTrue();
            assertThat(a.computed()).isTrue();
        });
        assertThat(SCHEMA.attribute("last_rotation_time").computedOnly()).isTrue();
        assertThat(SCHEMA.attribute("next_rotation_time").computedOnly()).isTrue();
        assertThat(SCHEMA.attribute("master_key_version").computedOnly()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "1.5", "2147483648"})
    void validate_rotationPeriodOutOfRule_errorOnRotationPeriodNamingTheRule(String days) {
        resource.validate(withPeriod(config("p1", "c1", "LOCAL"), new BigDecimal(days)), diagnostics);

        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(AttributePaths.dotted(d.getAttribute())).isEqualTo("rotation_period_days");
            assertThat(d.getSummary()).isEqualTo("invalid rotation_period_days");
            assertThat(d.getDetail()).startsWith("rotation_period_days must be ").endsWith("; got " + days);
        });
    }

    @Test
    void validate_rotationPeriodOneOrUnknown_noErrors() {
        resource.validate(withPeriod(config("p1", "c1", "LOCAL"), BigDecimal.ONE), diagnostics);
        resource.validate(withPeriod(config("p1", "c1", "LOCAL"), Unknown.VALUE), diagnostics);

        assertThat(diagnostics.asList()).isEmpty();
    }

    @Test
    void plan_createWithoutPeriod_periodAndRotationTimesUnknown() {
        Map<String, Object> config = config("p1", "c1", "LOCAL");

        Map<String, Object> planned = resource.plan(null, config, config).planned();

        assertThat(planned).containsEntry("rotation_period_days", Unknown.VALUE)
                .containsEntry("last_rotation_time", Unknown.VALUE).containsEntry("next_rotation_time", Unknown.VALUE);
    }

    @Test
    void plan_periodChanged_updatesInPlaceWithServiceOwnedUnknown() {
        Map<String, Object> state = apply(withPeriod(config("p1", "c1", "LOCAL"), BigDecimal.valueOf(30)));
        Map<String, Object> proposed = withPeriod(state, BigDecimal.valueOf(7));

        ManagedResource.Plan plan = resource.plan(state, proposed, proposed);

        assertThat(plan.requiresReplace()).isEmpty();
        assertThat(plan.planned()).containsEntry("rotation_period_days", BigDecimal.valueOf(7))
                .containsEntry("id", "p1/c1").containsEntry("next_rotation_time", Unknown.VALUE)
                .containsEntry("master_key_version", Unknown.VALUE);
    }

    @Test
    void apply_periodSet_sentToServiceAndNextRotationFollowsIt() {
        Map<String, Object> state = apply(withPeriod(config("p1", "c1", "LOCAL"), BigDecimal.valueOf(30)));

        assertThat(service.clusters.get("p1/c1").getRotationPeriodDays()).isEqualTo(30);
        assertThat(state).containsEntry("rotation_period_days", BigDecimal.valueOf(30))
                .containsEntry("last_rotation_time", null)
                .containsEntry("next_rotation_time", "2026-10-21T14:13:20Z");
        assertThat(resource.read(state, service.client, diagnostics)).isEqualTo(state);
    }

    @Test
    void apply_periodUnset_serviceDefaultInStateAndZeroSent() {
        Map<String, Object> state = apply(config("p1", "c1", "LOCAL"));

        assertThat(state).containsEntry("rotation_period_days", BigDecimal.valueOf(90));
    }

    @Test
    void plan_afterServiceRotatedOnItsOwn_refreshedStateIsThePlanSoNoDiff() {
        Map<String, Object> state = apply(withPeriod(config("p1", "c1", "LOCAL"), BigDecimal.valueOf(30)));
        service.rotate("p1", "c1", FakeKeyService.NOW_SECONDS + 31 * 86_400L);

        Map<String, Object> refreshed = resource.read(state, service.client, diagnostics);
        // Terraform's proposed state: the configuration, plus prior (refreshed) values for computed attributes.
        ManagedResource.Plan plan = resource.plan(refreshed, new LinkedHashMap<>(refreshed), config("p1", "c1", "LOCAL"));

        assertThat(refreshed).containsEntry("master_key_version", BigDecimal.valueOf(2))
                .containsEntry("last_rotation_time", "2026-10-22T14:13:20Z");
        assertThat(plan.planned()).isEqualTo(refreshed);
        assertThat(plan.requiresReplace()).isEmpty();
    }

    @Test
    void apply_periodInvalidOnlyKnownAtApply_errorOnAttributeAndNothingSent() {
        Map<String, Object> config = withPeriod(config("p1", "c1", "LOCAL"), Unknown.VALUE);
        Map<String, Object> planned = withPeriod(resource.plan(null, config, config).planned(), BigDecimal.ZERO);

        Map<String, Object> state = resource.apply(null, planned, config, service.client, diagnostics);

        assertThat(state).isNull();
        assertThat(service.clusters).isEmpty();
        assertThat(diagnostics.asList()).singleElement().satisfies(d ->
                assertThat(AttributePaths.dotted(d.getAttribute())).isEqualTo("rotation_period_days"));
    }

    @Test
    void apply_serviceRejectsPeriod_diagnosticOnAttributeAndPriorStateKept() {
        Map<String, Object> state = apply(config("p1", "c1", "LOCAL"));
        service.failNextWrite(Code.INVALID_ARGUMENT, "invalid request",
                FakeKeyService.fieldViolation("rotation_period_days", "must be at least 1 day"));
        Map<String, Object> proposed = withPeriod(state, BigDecimal.TEN);
        Map<String, Object> planned = resource.plan(state, proposed, proposed).planned();

        Map<String, Object> after = resource.apply(state, planned, null, service.client, diagnostics);

        assertThat(after).isEqualTo(state);
        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(AttributePaths.dotted(d.getAttribute())).isEqualTo("rotation_period_days");
            assertThat(d.getDetail()).isEqualTo("must be at least 1 day");
        });
    }

    @Test
    void plan_create_idKnownAndServiceAttributesUnknown() {
        Map<String, Object> config = config("p1", "c1", "LOCAL");

        Map<String, Object> planned = resource.plan(null, config, config).planned();

        assertThat(planned).containsEntry("id", "p1/c1").containsEntry("state", Unknown.VALUE)
                .containsEntry("master_key_version", Unknown.VALUE);
    }

    @Test
    void plan_clusterNameChanged_requiresReplacement() {
        Map<String, Object> state = apply(config("p1", "c1", "LOCAL"));
        Map<String, Object> proposed = new LinkedHashMap<>(state);
        proposed.put("cluster_name", "c2");

        assertThat(resource.plan(state, proposed, proposed).requiresReplace()).containsExactly("cluster_name");
    }

    @Test
    void apply_create_resolvesStateAndVersionFromService() {
        Map<String, Object> state = apply(config("p1", "c1", "LOCAL"));

        assertThat(state).containsEntry("state", "ENABLED").containsEntry("master_key_version", BigDecimal.ONE);
        assertThat(resource.read(state, service.client, diagnostics)).isEqualTo(state);
    }

    @Test
    void apply_projectNotEnabled_diagnosticOnProviderAndNoState() {
        service.failNextWrite(Code.FAILED_PRECONDITION, "enable encryption at rest on project p1 first",
                FakeKeyService.reason("ENCRYPTION_AT_REST_NOT_ENABLED", Map.of()));
        Map<String, Object> config = config("p1", "c1", "AWS");

        Map<String, Object> state = resource.apply(null, resource.plan(null, config, config).planned(), config,
                service.client, diagnostics);

        assertThat(state).isNull();
        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(AttributePaths.dotted(d.getAttribute())).isEqualTo("encryption_at_rest_provider");
            assertThat(d.getDetail()).contains("enable encryption at rest on project p1 first");
        });
    }

    @Test
    void apply_concurrentWriteAborted_retriesAndSucceeds() {
        service.failNextWrite(Code.ABORTED, "a concurrent request changed the same resource; read it again and retry");

        assertThat(apply(config("p1", "c1", "LOCAL"))).containsEntry("state", "ENABLED");
    }

    @Test
    void read_disabledOutsideTerraform_showsNoneSoPlanCorrectsIt() {
        Map<String, Object> state = apply(config("p1", "c1", "LOCAL"));
        service.clusters.remove("p1/c1");

        assertThat(resource.read(state, service.client, diagnostics)).containsEntry("encryption_at_rest_provider", "NONE");
    }

    @Test
    void importState_idWithoutSlash_errorExplainingTheForm() {
        assertThat(resource.importState("p1", diagnostics)).isNull();
        assertThat(diagnostics.asList().get(0).getDetail()).contains("PROJECT/CLUSTER");
    }

    private Map<String, Object> apply(Map<String, Object> config) {
        Map<String, Object> state = resource.apply(null, resource.plan(null, config, config).planned(), config,
                service.client, diagnostics);
        assertThat(diagnostics.asList()).isEmpty();
        return state;
    }

    private static Map<String, Object> withPeriod(Map<String, Object> value, Object days) {
        Map<String, Object> copy = new LinkedHashMap<>(value);
        copy.put("rotation_period_days", days);
        return copy;
    }

    private static Map<String, Object> config(String projectId, String clusterName, String provider) {
        return TerraformValues.of(SCHEMA, "project_id", projectId, "cluster_name", clusterName,
                "encryption_at_rest_provider", provider);
    }
}
