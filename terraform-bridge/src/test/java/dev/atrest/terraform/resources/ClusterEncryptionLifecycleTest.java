package dev.atrest.terraform.resources;

import static dev.atrest.terraform.resources.ClusterEncryptionResource.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6;
import dev.atrest.terraform.provider.Diagnostics;
import dev.atrest.terraform.wire.JsonStateReader;
import dev.atrest.terraform.wire.Unknown;
import dev.atrest.terraform.wire.Values;
import dev.atrest.v1.ClusterEncryption;
import dev.atrest.v1.ClusterEncryptionState;
import dev.atrest.v1.EncryptionAtRestProvider;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Create never adopts, delete acts only on the incarnation the state recorded (issue 14, items 1 and 2). */
class ClusterEncryptionLifecycleTest {

    private final ClusterEncryptionResource resource = new ClusterEncryptionResource();
    private final FakeKeyService service;
    private final Diagnostics diagnostics = new Diagnostics();

    ClusterEncryptionLifecycleTest() throws Exception {
        service = new FakeKeyService();
    }

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void create_clusterAlreadyEncrypted_refusedWithImportHintAndNothingChanged() {
        created(config(null));
        ClusterEncryption before = service.clusters.get("p1/c1");
        int writes = service.writes.get();

        Map<String, Object> state = create(config(BigDecimal.valueOf(7)));

        assertThat(state).isNull();
        assertThat(service.writes.get()).isEqualTo(writes);
        assertThat(service.clusters.get("p1/c1")).isEqualTo(before);
        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(d.getSeverity()).isEqualTo(Tfplugin6.Diagnostic.Severity.ERROR);
            assertThat(d.getSummary()).isEqualTo("cluster p1/c1 already has encryption at rest");
            assertThat(d.getDetail()).contains("(LOCAL, generation 1)")
                    .contains("terraform import atrest_cluster_encryption.NAME p1/c1")
                    .contains("import {").contains("id = \"p1/c1\"");
        });
    }

    @Test
    void create_encryptedByAnotherClientBetweenReadAndWrite_refusedNotAdopted() {
        AtomicBoolean raced = new AtomicBoolean();
        service.afterClusterRead = () -> {
            if (raced.compareAndSet(false, true)) {
                created(new ClusterEncryptionResource(), service, config(null)); // another configuration, same moment
            }
        };

        Map<String, Object> state = create(config(BigDecimal.valueOf(7)));

        assertThat(state).isNull();
        assertThat(diagnostics.asList()).singleElement()
                .satisfies(d -> assertThat(d.getSummary()).isEqualTo("cluster p1/c1 already has encryption at rest"));
        assertThat(service.clusters.get("p1/c1").getRotationPeriodDays()).isEqualTo(90);
    }

    @Test
    void create_answerToTheWriteLost_asksAgainAndRecordsTheClusterWithAWarning() {
        service.loseNextWriteAnswer = true;

        Map<String, Object> state = create(config(BigDecimal.valueOf(7)));

        assertThat(state).containsEntry("rotation_period_days", BigDecimal.valueOf(7))
                .containsEntry("generation", BigDecimal.ONE);
        assertThat(service.writes.get()).isEqualTo(1);
        assertThat(service.retryWaiting.sleeps).hasSize(1);
        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(d.getSeverity()).isEqualTo(Tfplugin6.Diagnostic.Severity.WARNING);
            assertThat(d.getSummary()).isEqualTo("recorded cluster p1/c1 as created");
            assertThat(d.getDetail()).contains("answer was lost", "generation 1");
        });
    }

    @Test
    void create_answerLostAndTheClusterChangedBeforeAskingAgain_refusedNotAdopted() {
        service.loseNextWriteAnswer = true;
        service.retryWaiting.afterSleep = count -> service.clusters.computeIfPresent("p1/c1",
                (key, stored) -> stored.toBuilder().setRotationPeriodDays(30).build()); // someone else, meanwhile

        Map<String, Object> state = create(config(BigDecimal.valueOf(7)));

        assertThat(state).isNull();
        assertThat(diagnostics.asList()).singleElement()
                .satisfies(d -> assertThat(d.getSummary()).isEqualTo("cluster p1/c1 already has encryption at rest"));
    }

    @Test
    void create_sameSettingsEncryptedByAnotherConfigurationWithNoAnswerLost_refusedNotAdopted() {
        created(config(BigDecimal.valueOf(7)));

        assertThat(create(config(BigDecimal.valueOf(7)))).isNull();
        assertThat(diagnostics.asList()).singleElement()
                .satisfies(d -> assertThat(d.getSummary()).isEqualTo("cluster p1/c1 already has encryption at rest"));
    }

    @Test
    void read_serviceUnavailableTwice_askedAgainAndRead() {
        Map<String, Object> state = created(config(null));
        service.failNextCalls(2, com.google.rpc.Code.UNAVAILABLE, "the database is not reachable");

        assertThat(resource.read(state, service.client, diagnostics)).isEqualTo(state);
        assertThat(diagnostics.asList()).isEmpty();
        assertThat(service.retryWaiting.sleeps).hasSize(2);
        assertThat(service.retryWaiting.sleeps.get(1)).isGreaterThan(service.retryWaiting.sleeps.get(0)
                .dividedBy(2)); // backing off, with jitter
    }

    @Test
    void read_serviceStaysUnavailable_errorAfterBoundedRetriesAndStateKept() {
        Map<String, Object> state = created(config(null));
        service.failNextCalls(100, com.google.rpc.Code.UNAVAILABLE, "connection refused");

        assertThat(resource.read(state, service.client, diagnostics)).isEqualTo(state);
        assertThat(service.retryWaiting.sleeps).hasSize(5);
        assertThat(service.retryWaiting.slept()).isBetween(java.time.Duration.ofSeconds(10),
                java.time.Duration.ofSeconds(30));
        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(d.getSummary()).isEqualTo("cannot read encryption of cluster p1/c1");
            assertThat(d.getDetail()).contains("did not answer", "also when asked again");
        });
    }

    @Test
    void create_clusterDisabledEarlier_createsTheNextGeneration() {
        Map<String, Object> first = created(config(null));
        assertThat(resource.apply(first, null, null, service.client, diagnostics)).isNull();

        Map<String, Object> second = created(config(null));

        assertThat(first).containsEntry("generation", BigDecimal.ONE);
        assertThat(second).containsEntry("generation", BigDecimal.valueOf(2)).containsEntry("state", "ENABLED");
    }

    @Test
    void createBeforeDestroyReplace_createRefusedAndTheOldObjectKeepsEncryptionOn() {
        Map<String, Object> old = created(config(null));

        Map<String, Object> replacement = create(config(null)); // create_before_destroy: the old object still exists

        assertThat(replacement).isNull();
        assertThat(diagnostics.hasErrors()).isTrue();
        assertThat(service.clusters.get("p1/c1").getState()).isEqualTo(ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_ENABLED);
        assertThat(resource.read(old, service.client, new Diagnostics())).isEqualTo(old); // Terraform keeps it as current
    }

    @Test
    void replace_destroyThenCreate_endsEncryptedWithTheNextGeneration() {
        Map<String, Object> old = created(config(null));

        assertThat(resource.apply(old, null, null, service.client, diagnostics)).isNull();
        Map<String, Object> replacement = created(config(null));

        assertThat(service.clusters.get("p1/c1").getEncryptionAtRestProvider()).isEqualTo(EncryptionAtRestProvider.LOCAL);
        assertThat(replacement).containsEntry("generation", BigDecimal.valueOf(2));
    }

    @Test
    void delete_staleObjectAfterTheClusterWasReEnabled_warnsAndLeavesItEncrypted() {
        Map<String, Object> stale = created(config(null));
        resource.apply(stale, null, null, service.client, diagnostics);
        created(config(null)); // the replacement: generation 2
        int writes = service.writes.get();

        Map<String, Object> after = resource.apply(stale, null, null, service.client, diagnostics);

        assertThat(after).isNull();
        assertThat(service.writes.get()).isEqualTo(writes);
        assertThat(service.clusters.get("p1/c1").getState()).isEqualTo(ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_ENABLED);
        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(d.getSeverity()).isEqualTo(Tfplugin6.Diagnostic.Severity.WARNING);
            assertThat(d.getSummary()).isEqualTo("cluster p1/c1 re-created since this object was created; left alone");
            assertThat(d.getDetail()).contains("generation 1").contains("generation 2");
        });
    }

    @Test
    void read_staleObjectAfterTheClusterWasReEnabled_goneSoADeposedObjectDropsOut() {
        Map<String, Object> stale = created(config(null));
        resource.apply(stale, null, null, service.client, diagnostics);
        created(config(null));

        assertThat(resource.read(stale, service.client, diagnostics)).isNull();
        assertThat(diagnostics.asList()).isEmpty();
    }

    @Test
    void delete_alreadyDisabled_doneWithoutWriting() {
        Map<String, Object> state = created(config(null));
        resource.apply(state, null, null, service.client, diagnostics);
        int writes = service.writes.get();

        assertThat(resource.apply(state, null, null, service.client, diagnostics)).isNull();
        assertThat(service.writes.get()).isEqualTo(writes);
        assertThat(diagnostics.asList()).isEmpty();
    }

    @Test
    void delete_concurrentChangeBetweenReadAndDisable_readsAgainAndDisables() {
        Map<String, Object> state = created(config(null));
        AtomicBoolean raced = new AtomicBoolean();
        service.afterClusterRead = () -> {
            if (raced.compareAndSet(false, true)) { // another client changes the period: the etag read is stale
                service.clusters.computeIfPresent("p1/c1", (key, stored) -> stored.toBuilder().setRotationPeriodDays(30)
                        .setEtag("v99").build());
            }
        };

        assertThat(resource.apply(state, null, null, service.client, diagnostics)).isNull();
        assertThat(diagnostics.asList()).isEmpty();
        assertThat(service.clusters.get("p1/c1").getEncryptionAtRestProvider()).isEqualTo(EncryptionAtRestProvider.NONE);
    }

    @Test
    void delete_stateFromAnOlderProviderWithoutGeneration_disablesAsBefore() {
        created(config(null));
        String json = "{\"id\":\"p1/c1\",\"project_id\":\"p1\",\"cluster_name\":\"c1\","
                + "\"encryption_at_rest_provider\":\"LOCAL\",\"state\":\"ENABLED\",\"master_key_version\":1}";
        Map<String, Object> upgraded = Values.copy(JsonStateReader.read(json.getBytes(StandardCharsets.UTF_8),
                SCHEMA.impliedType()));

        Map<String, Object> refreshed = resource.read(upgraded, service.client, diagnostics);
        Map<String, Object> after = resource.apply(upgraded, null, null, service.client, diagnostics);

        assertThat(upgraded).containsEntry("generation", null);
        assertThat(refreshed).containsEntry("generation", BigDecimal.ONE);
        assertThat(after).isNull();
        assertThat(diagnostics.asList()).isEmpty();
        assertThat(service.clusters.get("p1/c1").getEncryptionAtRestProvider()).isEqualTo(EncryptionAtRestProvider.NONE);
    }

    @Test
    void plan_anyChange_generationUnknownAndImportFillsIt() {
        Map<String, Object> state = created(config(null));
        Map<String, Object> proposed = new java.util.LinkedHashMap<>(state);
        proposed.put("rotation_period_days", BigDecimal.TEN);

        Map<String, Object> imported = resource.read(resource.importState("p1/c1", diagnostics), service.client, diagnostics);

        assertThat(resource.plan(state, proposed, proposed).planned()).containsEntry("generation", Unknown.VALUE);
        assertThat(resource.plan(state, state, config(null)).planned()).containsEntry("generation", BigDecimal.ONE);
        assertThat(imported).containsEntry("generation", BigDecimal.ONE);
    }

    private Map<String, Object> create(Map<String, Object> config) {
        return resource.apply(null, resource.plan(null, config, config).planned(), config, service.client, diagnostics);
    }

    private Map<String, Object> created(Map<String, Object> config) {
        return created(resource, service, config);
    }

    private static Map<String, Object> created(ClusterEncryptionResource resource, FakeKeyService service,
            Map<String, Object> config) {
        Diagnostics diagnostics = new Diagnostics();
        Map<String, Object> state = resource.apply(null, resource.plan(null, config, config).planned(), config,
                service.client, diagnostics);
        assertThat(diagnostics.asList()).isEmpty();
        return state;
    }

    private static Map<String, Object> config(BigDecimal periodDays) {
        return TerraformValues.of(SCHEMA, "project_id", "p1", "cluster_name", "c1", "encryption_at_rest_provider", "LOCAL",
                "rotation_period_days", periodDays);
    }
}
