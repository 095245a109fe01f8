package dev.atrest.terraform.resources;

import static dev.atrest.terraform.resources.ClusterEncryptionResource.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import dev.atrest.terraform.provider.AttributePaths;
import dev.atrest.terraform.provider.Diagnostics;
import dev.atrest.terraform.wire.Unknown;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
        service.failNext(Code.FAILED_PRECONDITION, "enable encryption at rest on project p1 first",
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
        service.failNext(Code.ABORTED, "a concurrent request changed the same resource; read it again and retry");

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

    private static Map<String, Object> config(String projectId, String clusterName, String provider) {
        return TerraformValues.of(SCHEMA, "project_id", projectId, "cluster_name", clusterName,
                "encryption_at_rest_provider", provider);
    }
}
