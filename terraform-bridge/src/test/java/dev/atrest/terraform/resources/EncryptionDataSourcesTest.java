package dev.atrest.terraform.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.atrest.terraform.provider.Diagnostics;
import dev.atrest.terraform.wire.Block;
import dev.atrest.v1.CmkChange;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The project and cluster data sources: in step with their resources, plus what only a reader needs. */
class EncryptionDataSourcesTest {

    private final FakeKeyService service;
    private final Diagnostics diagnostics = new Diagnostics();

    EncryptionDataSourcesTest() throws Exception {
        service = new FakeKeyService();
    }

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void schemas_dataSourcesHaveEveryAttributeOfTheirResourceButTimeouts() {
        java.util.Set<String> project = new java.util.HashSet<>(names(ProjectEncryptionSchema.SCHEMA));
        project.remove("timeouts"); // how long the resource's destroy waits: nothing a reader has

        assertThat(names(ClusterEncryptionDataSource.SCHEMA)).containsAll(names(ClusterEncryptionResource.SCHEMA));
        assertThat(names(ProjectEncryptionDataSource.SCHEMA)).containsAll(project);
    }

    @Test
    void clusterDataSource_read_rotationSettingsAndTimes() {
        Map<String, Object> config = TerraformValues.of(ProjectEncryptionSchema.SCHEMA, "project_id", "p1",
                "local_key_config", TerraformValues.of(ProjectEncryptionSchema.LOCAL_KEY_CONFIG, "enabled", true));
        Map<String, Object> cluster = TerraformValues.of(ClusterEncryptionResource.SCHEMA, "project_id", "p1",
                "cluster_name", "c1", "encryption_at_rest_provider", "LOCAL", "rotation_period_days", BigDecimal.TEN);
        new ProjectEncryptionResource().apply(null, config, config, service.client, diagnostics);
        new ClusterEncryptionResource().apply(null, cluster, cluster, service.client, diagnostics);
        service.clusters.computeIfPresent("p1/c1", (key, stored) -> stored.toBuilder().setRotationInProgress(true).build());

        Map<String, Object> read = new ClusterEncryptionDataSource().read(TerraformValues.of(
                ClusterEncryptionDataSource.SCHEMA, "project_id", "p1", "cluster_name", "c1"), service.client, diagnostics);

        assertThat(diagnostics.asList()).isEmpty();
        assertThat(read).containsEntry("rotation_period_days", BigDecimal.TEN).containsEntry("last_rotation_time", null)
                .containsEntry("next_rotation_time", "2026-10-01T14:13:20Z").containsEntry("rotation_in_progress", true);
    }

    @Test
    void projectDataSource_read_alertDaysAndCmkChangeWhileOneRuns() {
        Map<String, Object> config = TerraformValues.of(ProjectEncryptionSchema.SCHEMA, "project_id", "p1",
                "cmk_rotation_alert_days", BigDecimal.valueOf(30),
                "local_key_config", TerraformValues.of(ProjectEncryptionSchema.LOCAL_KEY_CONFIG, "enabled", true));
        new ProjectEncryptionResource().apply(null, config, config, service.client, diagnostics);
        Map<String, Object> before = readProject();
        service.projects.computeIfPresent("p1", (key, stored) -> stored.toBuilder().setCmkChange(CmkChange.newBuilder()
                .setMasterKeysRewrapped(1).setMasterKeysTotal(3).setLastError("old CMK disabled")
                .setStartedTime(Timestamp.newBuilder().setSeconds(FakeKeyService.NOW_SECONDS))).build());

        Map<String, Object> during = readProject();

        assertThat(before).containsEntry("cmk_rotation_alert_days", BigDecimal.valueOf(30)).containsEntry("cmk_change", null);
        assertThat(during.get("cmk_change")).isEqualTo(Map.of("master_keys_rewrapped", BigDecimal.ONE,
                "master_keys_total", BigDecimal.valueOf(3), "started_time", "2026-09-21T14:13:20Z",
                "last_error", "old CMK disabled"));
    }

    @Test
    void projectDataSource_projectNeverConfigured_readsAsNoneLikeAClusterNeverConfigured() {
        Map<String, Object> project = new ProjectEncryptionDataSource().read(
                TerraformValues.of(ProjectEncryptionDataSource.SCHEMA, "project_id", "fresh"), service.client, diagnostics);
        Map<String, Object> cluster = new ClusterEncryptionDataSource().read(TerraformValues.of(
                ClusterEncryptionDataSource.SCHEMA, "project_id", "fresh", "cluster_name", "c1"), service.client, diagnostics);

        assertThat(diagnostics.asList()).isEmpty();
        assertThat(project).containsEntry("id", "fresh").containsEntry("provider", "NONE").containsEntry("valid", false)
                .containsEntry("generation", BigDecimal.ZERO).containsEntry("aws_kms_config", null)
                .containsEntry("local_key_config", null).containsEntry("cmk_change", null);
        assertThat(cluster).containsEntry("encryption_at_rest_provider", "NONE").containsEntry("generation", BigDecimal.ZERO);
    }

    @Test
    void projectDataSource_invalidProjectId_attributeError() {
        new ProjectEncryptionDataSource().validate(
                TerraformValues.of(ProjectEncryptionDataSource.SCHEMA, "project_id", "-bad"), diagnostics);

        assertThat(diagnostics.asList()).singleElement().satisfies(d ->
                assertThat(dev.atrest.terraform.provider.AttributePaths.dotted(d.getAttribute())).isEqualTo("project_id"));
    }

    @Test
    void projectDataSource_serviceStaysUnavailable_stillAnError() {
        service.failNextCalls(100, com.google.rpc.Code.UNAVAILABLE, "connection refused");

        assertThat(new ProjectEncryptionDataSource().read(TerraformValues.of(ProjectEncryptionDataSource.SCHEMA,
                "project_id", "p1"), service.client, diagnostics)).isNull();
        assertThat(diagnostics.hasErrors()).isTrue();
    }

    private Map<String, Object> readProject() {
        Map<String, Object> read = new ProjectEncryptionDataSource().read(
                TerraformValues.of(ProjectEncryptionDataSource.SCHEMA, "project_id", "p1"), service.client, diagnostics);
        assertThat(diagnostics.asList()).isEmpty();
        return read;
    }

    private static java.util.Set<String> names(Block schema) {
        return schema.impliedType().attributes().keySet();
    }
}
