package dev.atrest.keyservice.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {
    private static final AccessPolicy POLICY = AccessPolicy.atrestV1();
    private static final String GET_KEY = "atrest.v1.DatabaseKeyService/GetDatabaseKey";
    private static final String UPDATE_PROJECT = "atrest.v1.ProjectEncryptionService/UpdateProjectEncryption";
    private static final String LIST_SNAPSHOTS = "atrest.v1.SnapshotService/ListSnapshots";
    private static final String CREATE_TOKEN = "atrest.v1.AccessService/CreateAccessToken";

    @Test
    void authorize_consumerOnItsProject_getsKeysThereOnly() {
        Caller consumer = caller(Role.KEY_CONSUMER, "p1");

        assertThatCode(() -> POLICY.authorize(GET_KEY, consumer, Optional.of("p1"))).doesNotThrowAnyException();
        assertDenied(() -> POLICY.authorize(GET_KEY, consumer, Optional.of("p2")), "KEY_CONSUMER", "p2");
    }

    @Test
    void authorize_adminEverywhere_neverGetsKeys() {
        assertDenied(() -> POLICY.authorize(GET_KEY, everywhere(Role.ADMIN), Optional.of("p1")), "KEY_CONSUMER", "p1");
    }

    @Test
    void authorize_consumer_cannotConfigure() {
        assertDenied(() -> POLICY.authorize(UPDATE_PROJECT, everywhere(Role.KEY_CONSUMER), Optional.of("p1")),
                "ADMIN", "p1");
    }

    @Test
    void authorize_snapshotReads_eitherRoleOnTheProject() {
        assertThatCode(() -> POLICY.authorize(LIST_SNAPSHOTS, caller(Role.ADMIN, "p1"), Optional.of("p1")))
                .doesNotThrowAnyException();
        assertThatCode(() -> POLICY.authorize(LIST_SNAPSHOTS, caller(Role.KEY_CONSUMER, "p1"), Optional.of("p1")))
                .doesNotThrowAnyException();
        assertDenied(() -> POLICY.authorize(LIST_SNAPSHOTS, caller(Role.ADMIN, "p1"), Optional.of("p2")),
                "ADMIN or KEY_CONSUMER", "p2");
    }

    @Test
    void authorize_tokens_needAdminOnAllProjects() {
        assertThatCode(() -> POLICY.authorize(CREATE_TOKEN, everywhere(Role.ADMIN), Optional.empty()))
                .doesNotThrowAnyException();
        assertDenied(() -> POLICY.authorize(CREATE_TOKEN, caller(Role.ADMIN, "p1", "p2"), Optional.empty()), "ADMIN", "*");
    }

    @Test
    void authorize_whoAmI_anyCaller() {
        Caller nobody = new Caller("certificate:x", Set.of(Role.KEY_CONSUMER), Set.of(), false);

        assertThatCode(() -> POLICY.authorize("atrest.v1.AccessService/WhoAmI", nobody, Optional.empty()))
                .doesNotThrowAnyException();
    }

    @Test
    void authorize_methodWithoutRule_deniedEvenToTheDevelopmentCaller() {
        Caller everything = new Caller("development", Set.of(Role.ADMIN, Role.KEY_CONSUMER), Set.of(), true);

        assertThatThrownBy(() -> POLICY.authorize("atrest.v1.DatabaseKeyService/DeleteEverything", everything,
                Optional.of("p1"))).isInstanceOf(PermissionDeniedException.class).hasMessageContaining("no access rule");
    }

    @Test
    void authorize_projectRequestWithoutProject_onlyAllProjectsCallersPass() {
        assertDenied(() -> POLICY.authorize(UPDATE_PROJECT, caller(Role.ADMIN, "p1"), Optional.empty()), "ADMIN", "");
        assertThatCode(() -> POLICY.authorize(UPDATE_PROJECT, everywhere(Role.ADMIN), Optional.empty()))
                .doesNotThrowAnyException();
    }

    @Test
    void authorize_malformedProjectId_notRepeatedInTheDenial() {
        String hostile = "p1\n" + "x".repeat(10_000);

        assertThatThrownBy(() -> POLICY.authorize(UPDATE_PROJECT, caller(Role.ADMIN, "p1"), Optional.of(hostile)))
                .isInstanceOfSatisfying(PermissionDeniedException.class, e -> {
                    assertThat(e.getMessage()).doesNotContain("xxxx");
                    assertThat(e.projectId()).isEmpty();
                });
    }

    @Test
    void isPublic_healthAndReflectionOnly() {
        assertThat(POLICY.isPublic("grpc.health.v1.Health/Check")).isTrue();
        assertThat(POLICY.isPublic("grpc.reflection.v1.ServerReflection/ServerReflectionInfo")).isTrue();
        assertThat(POLICY.isPublic("grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")).isTrue();
        assertThat(POLICY.isPublic("atrest.v1.AccessService/WhoAmI")).isFalse();
        assertThat(POLICY.isPublic("grpc.health.v1.HealthX/Check")).isFalse();
    }

    private static Caller caller(Role role, String... projects) {
        return new Caller("token:t", Set.of(role), Set.of(projects), false);
    }

    private static Caller everywhere(Role role) {
        return new Caller("token:t", Set.of(role), Set.of(), true);
    }

    private static void assertDenied(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String role,
                                     String project) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PermissionDeniedException.class, e -> {
            assertThat(e.requiredRole()).isEqualTo(role);
            assertThat(e.projectId()).isEqualTo(project);
        });
    }
}
