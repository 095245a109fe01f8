package dev.atrest.terraform.resources;

import static dev.atrest.terraform.resources.DatabaseKeyRotationResource.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6;
import dev.atrest.terraform.provider.AttributePaths;
import dev.atrest.terraform.provider.Diagnostics;
import dev.atrest.terraform.provider.ManagedResource;
import dev.atrest.terraform.wire.DynamicValueCodec;
import dev.atrest.terraform.wire.JsonStateReader;
import dev.atrest.terraform.wire.Unknown;
import dev.atrest.v1.ClusterEncryption;
import dev.atrest.v1.ClusterEncryptionState;
import dev.atrest.v1.EncryptionAtRestProvider;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseKeyRotationResourceTest {

    private static final String ID = "projects/p1/clusters/c1/databases/1";

    private final DatabaseKeyRotationResource resource = new DatabaseKeyRotationResource();
    private final FakeKeyService service;
    private final Diagnostics diagnostics = new Diagnostics();

    DatabaseKeyRotationResourceTest() throws Exception {
        service = new FakeKeyService();
    }

    /** Cluster p1/c1 encrypted under master-key version 1, its database "1" at key version 1 (its first use). */
    @BeforeEach
    void encryptedClusterWithFirstKey() {
        service.clusters.put("p1/c1", ClusterEncryption.newBuilder().setProjectId("p1").setClusterName("c1")
                .setEncryptionAtRestProvider(EncryptionAtRestProvider.LOCAL).setMasterKeyVersion(1)
                .setState(ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_ENABLED).setEtag("v1").build());
        service.newDatabaseKeyVersion("p1", "c1", "1", null);
    }

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    void schema_identityRequiredTriggersOptionalAndRotationResultsComputedOnly() {
        for (String name : new String[] {"project_id", "cluster_name", "database_name"}) {
            assertThat(SCHEMA.attribute(name).required()).as(name).isTrue();
        }
        assertThat(SCHEMA.attribute("triggers")).satisfies(a -> {
            assertThat(a.optional()).isTrue();
            assertThat(a.computed()).isFalse();
            assertThat(a.type().toJson()).isEqualTo("[\"map\",\"string\"]");
        });
        for (String name : new String[] {"id", "version", "master_key_version", "create_time"}) {
            assertThat(SCHEMA.attribute(name).computedOnly()).as(name).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"project_id", "cluster_name", "database_name"})
    void validate_identifierOutOfRule_errorOnThatAttribute(String name) {
        Map<String, Object> config = config(null);
        config.put(name, "-starts-with-a-dash");

        resource.validate(config, diagnostics);

        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(AttributePaths.dotted(d.getAttribute())).isEqualTo(name);
            assertThat(d.getSummary()).isEqualTo("invalid " + name);
            assertThat(d.getDetail()).contains("[A-Za-z0-9_-]", "\"-starts-with-a-dash\"");
        });
    }

    @Test
    void validate_unknownIdentity_noErrorsUntilApply() {
        Map<String, Object> config = config(null);
        config.put("database_name", Unknown.VALUE);

        resource.validate(config, diagnostics);

        assertThat(diagnostics.asList()).isEmpty();
    }

    @Test
    void plan_create_idKnownAndRotationResultsUnknown() {
        Map<String, Object> config = config(Map.of("when", "2026-12"));

        ManagedResource.Plan plan = resource.plan(null, config, config);

        assertThat(plan.requiresReplace()).isEmpty();
        assertThat(plan.planned()).containsEntry("id", ID).containsEntry("triggers", Map.of("when", "2026-12"))
                .containsEntry("version", Unknown.VALUE).containsEntry("master_key_version", Unknown.VALUE)
                .containsEntry("create_time", Unknown.VALUE);
    }

    @Test
    void plan_noChange_priorStateSoNothingRotates() {
        Map<String, Object> state = created(config(Map.of("when", "2026-12")));

        ManagedResource.Plan plan = resource.plan(state, new LinkedHashMap<>(state), config(Map.of("when", "2026-12")));

        assertThat(plan.planned()).isEqualTo(state);
        assertThat(plan.requiresReplace()).isEmpty();
    }

    @Test
    void plan_triggersChanged_replacementWithNewVersionUnknown() {
        Map<String, Object> state = created(config(Map.of("when", "2026-12")));
        Map<String, Object> proposed = new LinkedHashMap<>(state);
        proposed.put("triggers", Map.of("when", "2027-01"));

        ManagedResource.Plan plan = resource.plan(state, proposed, proposed);

        assertThat(plan.requiresReplace()).containsExactly("triggers");
        assertThat(plan.planned()).containsEntry("version", Unknown.VALUE);
    }

    @Test
    void plan_triggersBecomeUnknown_replacement() {
        Map<String, Object> state = created(config(Map.of("when", "2026-12")));
        Map<String, Object> proposed = new LinkedHashMap<>(state);
        proposed.put("triggers", Unknown.VALUE);

        assertThat(resource.plan(state, proposed, proposed).requiresReplace()).containsExactly("triggers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"project_id", "cluster_name", "database_name"})
    void plan_identityChanged_replacement(String name) {
        Map<String, Object> state = created(config(null));
        Map<String, Object> proposed = new LinkedHashMap<>(state);
        proposed.put(name, "other");

        assertThat(resource.plan(state, proposed, proposed).requiresReplace()).containsExactly(name);
    }

    @Test
    void apply_create_rotatesFromTheCurrentVersionAndRecordsTheNewOne() {
        Map<String, Object> state = created(config(Map.of("when", "2026-12")));

        assertThat(service.rotateRequests).singleElement().satisfies(request -> {
            assertThat(request.getDatabaseName()).isEqualTo("1");
            assertThat(request.hasExpectedVersion()).isTrue();
            assertThat(request.getExpectedVersion()).isEqualTo(1);
        });
        assertThat(state).containsEntry("id", ID).containsEntry("version", BigDecimal.valueOf(2))
                .containsEntry("master_key_version", BigDecimal.ONE)
                .containsEntry("create_time", "2026-09-21T14:13:22Z")
                .containsEntry("triggers", Map.of("when", "2026-12"));
        assertThat(resource.read(state, service.client, diagnostics)).isEqualTo(state);
    }

    @Test
    void apply_databaseWithoutKey_makesVersionOneExpectingZero() {
        Map<String, Object> config = config(null);
        config.put("database_name", "7");

        Map<String, Object> state = created(config);

        assertThat(service.rotateRequests).singleElement()
                .satisfies(request -> assertThat(request.getExpectedVersion()).isZero());
        assertThat(state).containsEntry("version", BigDecimal.ONE);
    }

    @Test
    void apply_rotatedBySomeoneElseBetweenReadAndRotate_errorSaysReRunAndNothingMade() {
        service.afterKeysRead = () -> {
            service.afterKeysRead = () -> { };
            service.newDatabaseKeyVersion("p1", "c1", "1", null); // another client, the same moment: version 2
        };
        Map<String, Object> config = config(null);

        Map<String, Object> state = resource.apply(null, resource.plan(null, config, config).planned(), config,
                service.client, diagnostics);

        assertThat(state).isNull();
        assertThat(versions("1")).containsExactly(1, 2);
        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(d.getSeverity()).isEqualTo(Tfplugin6.Diagnostic.Severity.ERROR);
            assertThat(d.getSummary()).isEqualTo("cannot rotate the key of database 1 of cluster p1/c1");
            assertThat(d.getDetail()).contains("someone else rotated it", "from version 1", "run apply again")
                    .contains("no longer at version 1");
        });
    }

    @Test
    void apply_connectionFailedBeforeTheCallArrived_askedAgainAndRotatedOnce() {
        service.unreachableRotations.set(1);

        Map<String, Object> state = created(config(null));

        assertThat(service.rotateRequests).singleElement()
                .satisfies(request -> assertThat(request.getExpectedVersion()).isEqualTo(1));
        assertThat(versions("1")).containsExactly(1, 2);
        assertThat(state).containsEntry("version", BigDecimal.valueOf(2));
    }

    @Test
    void apply_answerLostAfterTheServiceRotated_recordsThatVersionWithWarningNotASecondRotation() {
        service.loseNextRotationAnswer = true;
        Map<String, Object> config = config(null);

        Map<String, Object> state = resource.apply(null, resource.plan(null, config, config).planned(), config,
                service.client, diagnostics);

        assertThat(service.rotateRequests).hasSize(2)
                .allSatisfy(request -> assertThat(request.getExpectedVersion()).isEqualTo(1));
        assertThat(versions("1")).containsExactly(1, 2);
        assertThat(state).containsEntry("version", BigDecimal.valueOf(2)).containsEntry("id", ID);
        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(d.getSeverity()).isEqualTo(Tfplugin6.Diagnostic.Severity.WARNING);
            assertThat(d.getSummary()).isEqualTo("recorded version 2 of the key of database 1");
            assertThat(d.getDetail()).contains("instead of rotating twice");
        });
    }

    @Test
    void apply_serviceDownForThreeAttempts_askedAgainUntilItAnswersAndRotatedOnce() {
        service.unreachableRotations.set(3);

        Map<String, Object> state = created(config(null));

        assertThat(service.rotateRequests).singleElement()
                .satisfies(request -> assertThat(request.getExpectedVersion()).isEqualTo(1));
        assertThat(versions("1")).containsExactly(1, 2);
        assertThat(state).containsEntry("version", BigDecimal.valueOf(2));
        assertThat(service.retryWaiting.sleeps).hasSize(2); // the first repeat is at once, as before
    }

    @Test
    void apply_serviceStaysDown_askedAgainForABoundedTimeThenErrorSayingItDidNotAnswer() {
        service.unreachableRotations.set(100);
        Map<String, Object> config = config(null);

        Map<String, Object> state = resource.apply(null, resource.plan(null, config, config).planned(), config,
                service.client, diagnostics);

        assertThat(state).isNull();
        assertThat(versions("1")).containsExactly(1);
        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(d.getSummary()).isEqualTo("cannot rotate the key of database 1 of cluster p1/c1");
            assertThat(d.getDetail()).contains("did not answer");
        });
    }

    @Test
    void apply_clusterNotEncrypted_errorOnClusterNameNamingTheDatabase() {
        Map<String, Object> config = config(null);
        config.put("cluster_name", "plain");

        Map<String, Object> state = resource.apply(null, resource.plan(null, config, config).planned(), config,
                service.client, diagnostics);

        assertThat(state).isNull();
        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(AttributePaths.dotted(d.getAttribute())).isEqualTo("cluster_name");
            assertThat(d.getSummary()).isEqualTo("cannot rotate the key of database 1 of cluster p1/plain");
            assertThat(d.getDetail()).contains("is not encrypted", "ENCRYPTION_AT_REST_NOT_ENABLED");
        });
    }

    @Test
    void apply_projectCmkInvalid_errorWithTheServiceReasonAndNothingMade() {
        service.failNextWrite(Code.FAILED_PRECONDITION, "the project's CMK failed its last check: key disabled",
                FakeKeyService.reason("ENCRYPTION_AT_REST_SETTINGS_INVALID", Map.of()));
        Map<String, Object> config = config(null);

        Map<String, Object> state = resource.apply(null, resource.plan(null, config, config).planned(), config,
                service.client, diagnostics);

        assertThat(state).isNull();
        assertThat(versions("1")).containsExactly(1);
        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(d.getSummary()).isEqualTo("cannot rotate the key of database 1 of cluster p1/c1");
            assertThat(d.getDetail()).contains("key disabled", "ENCRYPTION_AT_REST_SETTINGS_INVALID");
        });
    }

    @Test
    void apply_permissionDenied_errorSayingAnAdminIsNeeded() {
        service.failNextWrite(Code.PERMISSION_DENIED, "role KEY_CONSUMER may not call RotateDatabaseKey");
        Map<String, Object> config = config(null);

        resource.apply(null, resource.plan(null, config, config).planned(), config, service.client, diagnostics);

        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(d.getSummary()).isEqualTo("cannot rotate the key of database 1 of cluster p1/c1");
            assertThat(d.getDetail()).contains("role KEY_CONSUMER may not", "ADMIN");
        });
    }

    @Test
    void apply_databaseNameInvalidOnlyKnownAtApply_errorOnAttributeAndNothingSent() {
        Map<String, Object> config = config(null);
        config.put("database_name", Unknown.VALUE);
        Map<String, Object> planned = new LinkedHashMap<>(resource.plan(null, config, config).planned());
        planned.put("database_name", "a/../b");

        assertThat(resource.apply(null, planned, config, service.client, diagnostics)).isNull();
        assertThat(service.rotateRequests).isEmpty();
        assertThat(diagnostics.asList()).singleElement()
                .satisfies(d -> assertThat(AttributePaths.dotted(d.getAttribute())).isEqualTo("database_name"));
    }

    @Test
    void apply_delete_nothingSentVersionsStayAndNoDiagnostics() {
        Map<String, Object> state = created(config(null));
        int writes = service.writes.get();

        assertThat(resource.apply(state, null, null, service.client, diagnostics)).isNull();

        assertThat(service.writes.get()).isEqualTo(writes);
        assertThat(versions("1")).containsExactly(1, 2);
        assertThat(diagnostics.asList()).isEmpty();
    }

    @Test
    void read_rotatedAgainBySomeoneElse_stateKeptSoNoDrift() {
        Map<String, Object> state = created(config(null));
        service.newDatabaseKeyVersion("p1", "c1", "1", null);

        assertThat(resource.read(state, service.client, diagnostics)).isEqualTo(state);
        assertThat(diagnostics.asList()).isEmpty();
    }

    @Test
    void read_masterKeyRotatedAndKeysRewrapped_masterKeyVersionRefreshed() {
        Map<String, Object> state = created(config(null));
        service.rewrapDatabaseKeys("p1", "c1", 2);

        assertThat(resource.read(state, service.client, diagnostics))
                .containsEntry("master_key_version", BigDecimal.valueOf(2)).containsEntry("version", BigDecimal.valueOf(2));
    }

    @Test
    void read_versionNoLongerListed_goneFromState() {
        Map<String, Object> state = created(config(null));
        service.databaseKeys.remove("p1/c1"); // the cluster and its keys were deleted

        assertThat(resource.read(state, service.client, diagnostics)).isNull();
        assertThat(diagnostics.asList()).isEmpty();
    }

    @Test
    void read_serviceUnavailable_errorAndStateKept() {
        Map<String, Object> state = created(config(null));
        service.failNextCalls(100, Code.UNAVAILABLE, "connection refused");

        assertThat(resource.read(state, service.client, diagnostics)).isEqualTo(state);
        assertThat(diagnostics.asList()).singleElement().satisfies(d ->
                assertThat(d.getSummary()).isEqualTo("cannot read the key versions of database 1 of cluster p1/c1"));
    }

    @Test
    void importState_anyId_errorSayingWhyAndWhatToDoInstead() {
        assertThat(resource.importState(ID, diagnostics)).isNull();
        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(d.getSummary()).isEqualTo("atrest_database_key_rotation cannot be imported");
            assertThat(d.getDetail()).contains("add the resource and apply", ID);
        });
    }

    @Test
    void state_throughMsgpackAndStoredJson_triggersAndVersionsIntact() {
        Map<String, Object> state = created(config(Map.of("when", "2026-12", "ticket", "SEC-1")));

        Object fromMsgpack = DynamicValueCodec.decode(DynamicValueCodec.encode(state, SCHEMA.impliedType()),
                SCHEMA.impliedType());
        Object fromJson = JsonStateReader.read("""
                {"id":"%s","project_id":"p1","cluster_name":"c1","database_name":"1",
                 "triggers":{"when":"2026-12","ticket":"SEC-1"},"version":2,"master_key_version":1,
                 "create_time":"2026-09-21T14:13:22Z"}""".formatted(ID).getBytes(StandardCharsets.UTF_8),
                SCHEMA.impliedType());

        assertThat(fromMsgpack).isEqualTo(state);
        assertThat(fromJson).isEqualTo(state);
    }

    private Map<String, Object> created(Map<String, Object> config) {
        Map<String, Object> state = resource.apply(null, resource.plan(null, config, config).planned(), config,
                service.client, diagnostics);
        assertThat(diagnostics.asList()).isEmpty();
        return state;
    }

    private java.util.List<Integer> versions(String database) {
        return service.databaseKeys.get("p1/c1").stream().filter(key -> key.getDatabaseName().equals(database))
                .map(key -> key.getVersion()).toList();
    }

    private static Map<String, Object> config(Map<String, String> triggers) {
        return TerraformValues.of(SCHEMA, "project_id", "p1", "cluster_name", "c1", "database_name", "1",
                "triggers", triggers);
    }
}
