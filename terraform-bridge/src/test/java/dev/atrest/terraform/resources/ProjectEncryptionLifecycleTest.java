package dev.atrest.terraform.resources;

import static dev.atrest.terraform.resources.ProjectEncryptionSchema.LOCAL_KEY_CONFIG;
import static dev.atrest.terraform.resources.ProjectEncryptionSchema.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6;
import dev.atrest.terraform.provider.AttributePaths;
import dev.atrest.terraform.provider.Diagnostics;
import dev.atrest.terraform.provider.ManagedResource;
import dev.atrest.terraform.provider.StoppableWaiting;
import dev.atrest.terraform.wire.JsonStateReader;
import dev.atrest.terraform.wire.Values;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.ProjectEncryption;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Create never adopts, delete acts only on its incarnation and waits for clusters (issue 14, items 1 to 3). */
class ProjectEncryptionLifecycleTest {

    private final VirtualWaiting waiting = new VirtualWaiting();
    private final ProjectEncryptionResource resource = new ProjectEncryptionResource(waiting);
    private final ClusterEncryptionResource clusters = new ClusterEncryptionResource();
    private final FakeKeyService service;
    private final Diagnostics diagnostics = new Diagnostics();

    ProjectEncryptionLifecycleTest() throws Exception {
        service = new FakeKeyService();
    }

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void create_projectEncryptedByAnotherConfiguration_refusedAndItsRootKeyUnchanged() {
        created(config("k1", null));
        ProjectEncryption before = service.projects.get("p1");

        Map<String, Object> state = create(config("k2", null));

        assertThat(state).isNull();
        assertThat(service.projects.get("p1")).isEqualTo(before);
        assertThat(service.projects.get("p1").getLocalKey().getKeyId()).isEqualTo("k1");
        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(d.getSummary()).isEqualTo("project p1 already has encryption at rest");
            assertThat(d.getDetail()).contains("(LOCAL, generation 1)")
                    .contains("terraform import atrest_project_encryption.NAME p1").contains("id = \"p1\"");
        });
    }

    @Test
    void create_answerToTheWriteLost_asksAgainAndRecordsTheProjectWithAWarning() {
        service.loseNextWriteAnswer = true;

        Map<String, Object> state = create(config("k1", null));

        assertThat(state).isNotNull();
        assertThat(service.projects.get("p1").getLocalKey().getKeyId()).isEqualTo("k1");
        assertThat(service.writes.get()).isEqualTo(1);
        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(d.getSeverity()).isEqualTo(Tfplugin6.Diagnostic.Severity.WARNING);
            assertThat(d.getSummary()).isEqualTo("recorded project p1 as created");
        });
    }

    @Test
    void create_serviceBusyOnceWithRetryInfo_waitsThePauseItNamedThenCreates() {
        service.failNext(Code.UNAVAILABLE, "moving to another database node", RetryInfo.newBuilder()
                .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(2)).build());

        Map<String, Object> state = create(config("k1", null));

        assertThat(state).isNotNull();
        assertThat(diagnostics.asList()).isEmpty();
        assertThat(service.retryWaiting.sleeps).singleElement().satisfies(pause ->
                assertThat(pause).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(3)));
    }

    @Test
    void create_projectDisabledEarlier_conditionalWriteMakesTheNextGeneration() {
        Map<String, Object> first = created(config("k1", null));
        resource.apply(first, null, null, service.client, diagnostics);

        Map<String, Object> second = created(config("k2", null));

        assertThat(second).containsEntry("generation", BigDecimal.valueOf(2));
        assertThat(service.projects.get("p1").getLocalKey().getKeyId()).isEqualTo("k2");
    }

    @Test
    void delete_clustersDisabledWhileWaiting_retriesWithGrowingPausesThenDisables() {
        Map<String, Object> state = created(config("k1", null));
        Map<String, Object> c1 = cluster("c1");
        Map<String, Object> c2 = cluster("c2");
        waiting.afterSleep = count -> { // the clusters' own destroys, running in parallel
            if (count == 1) {
                clusters.apply(c1, null, null, service.client, new Diagnostics());
            } else if (count == 3) {
                clusters.apply(c2, null, null, service.client, new Diagnostics());
            }
        };

        Map<String, Object> after = resource.apply(state, null, null, service.client, diagnostics);

        assertThat(after).isNull();
        assertThat(diagnostics.asList()).isEmpty();
        assertThat(service.projects.get("p1").getProvider()).isEqualTo(EncryptionAtRestProvider.NONE);
        assertThat(waiting.sleeps).hasSize(3);
        assertThat(waiting.sleeps.get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(waiting.sleeps.get(1)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(waiting.sleeps.get(2)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void delete_clustersStayEncrypted_failsAtTheTimeoutWithTheServicesMessage() {
        Map<String, Object> state = created(config("k1", "45s"));
        cluster("c1");
        cluster("c2");

        Map<String, Object> after = resource.apply(state, null, null, service.client, diagnostics);

        assertThat(after).isEqualTo(state);
        assertThat(waiting.slept()).isEqualTo(Duration.ofSeconds(45));
        assertThat(waiting.sleeps).allSatisfy(pause -> assertThat(pause).isLessThanOrEqualTo(Duration.ofSeconds(15)));
        assertThat(service.projects.get("p1").getProvider()).isEqualTo(EncryptionAtRestProvider.LOCAL);
        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(d.getSummary()).isEqualTo("cannot disable encryption of project p1 (waited 45s for its clusters)");
            assertThat(d.getDetail()).contains("while these clusters are encrypted: c1,c2")
                    .contains("CANNOT_DISABLE_ENCRYPTION_AT_REST");
        });
    }

    @Test
    void delete_defaultTimeout_waitsFiveMinutes() {
        Map<String, Object> state = created(config("k1", null));
        cluster("c1");

        resource.apply(state, null, null, service.client, diagnostics);

        assertThat(waiting.slept()).isEqualTo(Duration.ofMinutes(5));
        assertThat(diagnostics.hasErrors()).isTrue();
    }

    @Test
    void delete_providerStoppedWhileWaiting_endsAtOnceWithTheProjectStillEncrypted() {
        StoppableWaiting stoppable = new StoppableWaiting();
        ProjectEncryptionResource stoppableResource = new ProjectEncryptionResource(stoppable);
        Map<String, Object> state = created(config("k1", null));
        cluster("c1");
        stoppable.stop(); // Terraform's StopProvider (a Ctrl-C) before or during the wait

        long start = System.nanoTime();
        Map<String, Object> after = stoppableResource.apply(state, null, null, service.client, diagnostics);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not the 5m timeout").isLessThan(Duration.ofMinutes(1));
        assertThat(after).isEqualTo(state);
        assertThat(service.projects.get("p1").getProvider()).isEqualTo(EncryptionAtRestProvider.LOCAL);
        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(d.getSummary()).isEqualTo("destroy of project p1 stopped");
            assertThat(d.getDetail()).contains("asked the provider to stop").contains("still on");
        });
    }

    @Test
    void delete_otherRefusal_reportedAtOnceWithoutWaiting() {
        Map<String, Object> state = created(config("k1", null));
        service.failNextWrite(Code.FAILED_PRECONDITION, "the CMK cannot be used",
                FakeKeyService.reason("ENCRYPTION_AT_REST_SETTINGS_INVALID", Map.of()));

        Map<String, Object> after = resource.apply(state, null, null, service.client, diagnostics);

        assertThat(after).isEqualTo(state);
        assertThat(waiting.sleeps).isEmpty();
        assertThat(diagnostics.asList()).singleElement()
                .satisfies(d -> assertThat(d.getSummary()).isEqualTo("cannot disable encryption of project p1"));
    }

    @Test
    void delete_staleObjectAfterTheProjectWasReEnabled_warnsAndLeavesItEncrypted() {
        Map<String, Object> stale = created(config("k1", null));
        resource.apply(stale, null, null, service.client, diagnostics);
        created(config("k2", null));

        Map<String, Object> after = resource.apply(stale, null, null, service.client, diagnostics);

        assertThat(after).isNull();
        assertThat(service.projects.get("p1").getProvider()).isEqualTo(EncryptionAtRestProvider.LOCAL);
        assertThat(resource.read(stale, service.client, new Diagnostics())).isNull();
        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(d.getSeverity()).isEqualTo(Tfplugin6.Diagnostic.Severity.WARNING);
            assertThat(d.getSummary()).isEqualTo("project p1 re-created since this object was created; left alone");
        });
    }

    @Test
    void delete_stateFromAnOlderProviderWithoutGenerationOrTimeouts_disablesAsBefore() {
        created(config("k1", null));
        String json = "{\"id\":\"p1\",\"project_id\":\"p1\",\"valid\":true,\"cmk_rotation_alert_days\":365,"
                + "\"local_key_config\":{\"enabled\":true,\"key_id\":\"k1\"},\"aws_kms_config\":null}";
        Map<String, Object> upgraded = Values.copy(JsonStateReader.read(json.getBytes(StandardCharsets.UTF_8),
                SCHEMA.impliedType()));

        Map<String, Object> refreshed = resource.read(upgraded, service.client, diagnostics);
        Map<String, Object> after = resource.apply(upgraded, null, null, service.client, diagnostics);

        assertThat(upgraded).containsEntry("generation", null).containsEntry("timeouts", null);
        assertThat(refreshed).containsEntry("generation", BigDecimal.ONE).containsEntry("timeouts", null);
        assertThat(after).isNull();
        assertThat(service.projects.get("p1").getProvider()).isEqualTo(EncryptionAtRestProvider.NONE);
    }

    @Test
    void planAndApply_onlyTimeoutsChanged_nothingSentAndNothingUnknown() {
        Map<String, Object> state = created(config("k1", null));
        Map<String, Object> proposed = new LinkedHashMap<>(state);
        proposed.put("timeouts", timeouts("10m"));
        int writes = service.writes.get();

        ManagedResource.Plan plan = resource.plan(state, proposed, proposed);
        Map<String, Object> after = resource.apply(state, plan.planned(), proposed, service.client, diagnostics);

        assertThat(plan.planned()).isEqualTo(proposed);
        assertThat(plan.requiresReplace()).isEmpty();
        assertThat(after).isEqualTo(proposed);
        assertThat(service.writes.get()).isEqualTo(writes);
    }

    @Test
    void importThenRead_noTimeoutsSoGeneratedConfigurationHasNone() {
        created(config("k1", "10m"));

        Map<String, Object> imported = resource.read(resource.importState("p1", diagnostics), service.client, diagnostics);

        assertThat(imported).containsEntry("timeouts", null).containsEntry("generation", BigDecimal.ONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5 minutes", "-1s", "0s", "5", "1d"})
    void validate_timeoutsDeleteNotAPositiveGoDuration_errorOnTheAttribute(String text) {
        resource.validate(config("k1", text), diagnostics);

        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(AttributePaths.dotted(d.getAttribute())).isEqualTo("timeouts.delete");
            assertThat(d.getDetail()).contains("\"30s\", \"5m\" or \"1h2m\"").endsWith("got \"" + text + "\"");
        });
    }

    @Test
    void validate_timeoutsDeleteGoDuration_noErrors() {
        resource.validate(config("k1", "1h2m"), diagnostics);
        resource.validate(config("k1", "1.5h"), diagnostics);

        assertThat(diagnostics.asList()).isEmpty();
    }

    private Map<String, Object> cluster(String name) {
        Map<String, Object> config = TerraformValues.of(ClusterEncryptionResource.SCHEMA, "project_id", "p1",
                "cluster_name", name, "encryption_at_rest_provider", "LOCAL");
        Map<String, Object> state = clusters.apply(null, clusters.plan(null, config, config).planned(), config,
                service.client, diagnostics);
        assertThat(diagnostics.asList()).isEmpty();
        return state;
    }

    private Map<String, Object> create(Map<String, Object> config) {
        return resource.apply(null, resource.plan(null, config, config).planned(), config, service.client, diagnostics);
    }

    private Map<String, Object> created(Map<String, Object> config) {
        Map<String, Object> state = create(config);
        assertThat(diagnostics.asList()).isEmpty();
        return state;
    }

    private static Map<String, Object> timeouts(String delete) {
        return TerraformValues.of(Timeouts.PROJECT.block(), "delete", delete);
    }

    private static Map<String, Object> config(String keyId, String deleteTimeout) {
        return TerraformValues.of(SCHEMA, "project_id", "p1",
                "local_key_config", TerraformValues.of(LOCAL_KEY_CONFIG, "enabled", true, "key_id", keyId),
                "timeouts", deleteTimeout == null ? null : timeouts(deleteTimeout));
    }
}
