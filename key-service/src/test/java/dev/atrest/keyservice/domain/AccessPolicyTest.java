package dev.atrest.keyservice.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.domain.AccessPolicy.Rule;
import dev.atrest.keyservice.domain.AccessPolicy.Scope;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The decisions for each kind of rule. Which rule each atrest.v1 RPC declares, and what that means for
 * real callers, is tested where the declarations are read (grpc/DeclaredAccessTest).
 */
class AccessPolicyTest {
    private static final String METHOD = "atrest.v1.ExampleService/DoSomething";
    private static final Optional<Rule> CONSUMER_ON_PROJECT =
            Optional.of(new Rule(Set.of(Role.KEY_CONSUMER), Scope.PROJECT));
    private static final Optional<Rule> ADMIN_ON_PROJECT = Optional.of(new Rule(Set.of(Role.ADMIN), Scope.PROJECT));
    private static final Optional<Rule> EITHER_ON_PROJECT =
            Optional.of(new Rule(Set.of(Role.ADMIN, Role.KEY_CONSUMER), Scope.PROJECT));
    private static final Optional<Rule> ADMIN_EVERYWHERE =
            Optional.of(new Rule(Set.of(Role.ADMIN), Scope.ALL_PROJECTS));
    private static final Optional<Rule> ANY_CALLER = Optional.of(new Rule(Set.of(), Scope.ANY_CALLER));

    @Test
    void authorize_projectRule_roleOnThatProjectOnly() {
        Caller consumer = caller(Role.KEY_CONSUMER, "p1");

        assertThatCode(() -> authorize(CONSUMER_ON_PROJECT, consumer, "p1")).doesNotThrowAnyException();
        assertDenied(() -> authorize(CONSUMER_ON_PROJECT, consumer, "p2"), "KEY_CONSUMER", "p2");
    }

    @Test
    void authorize_projectRule_otherRoleEverywhereDenied() {
        assertDenied(() -> authorize(CONSUMER_ON_PROJECT, everywhere(Role.ADMIN), "p1"), "KEY_CONSUMER", "p1");
        assertDenied(() -> authorize(ADMIN_ON_PROJECT, everywhere(Role.KEY_CONSUMER), "p1"), "ADMIN", "p1");
    }

    @Test
    void authorize_ruleWithTwoRoles_eitherOnTheProject() {
        assertThatCode(() -> authorize(EITHER_ON_PROJECT, caller(Role.ADMIN, "p1"), "p1")).doesNotThrowAnyException();
        assertThatCode(() -> authorize(EITHER_ON_PROJECT, caller(Role.KEY_CONSUMER, "p1"), "p1"))
                .doesNotThrowAnyException();
        assertDenied(() -> authorize(EITHER_ON_PROJECT, caller(Role.ADMIN, "p1"), "p2"), "ADMIN or KEY_CONSUMER", "p2");
    }

    @Test
    void authorize_allProjectsRule_needsTheRoleEverywhere() {
        assertThatCode(() -> AccessPolicy.authorize(METHOD, ADMIN_EVERYWHERE, everywhere(Role.ADMIN), Optional.empty()))
                .doesNotThrowAnyException();
        assertDenied(() -> AccessPolicy.authorize(METHOD, ADMIN_EVERYWHERE, caller(Role.ADMIN, "p1", "p2"),
                Optional.empty()), "ADMIN", "*");
    }

    @Test
    void authorize_anyCallerRule_callerWithoutProjects() {
        Caller nobody = new Caller("certificate:x", Set.of(Role.KEY_CONSUMER), Set.of(), false);

        assertThatCode(() -> AccessPolicy.authorize(METHOD, ANY_CALLER, nobody, Optional.empty()))
                .doesNotThrowAnyException();
    }

    @Test
    void authorize_methodWithoutRule_deniedEvenToTheDevelopmentCaller() {
        Caller everything = new Caller("development", Set.of(Role.ADMIN, Role.KEY_CONSUMER), Set.of(), true);

        assertThatThrownBy(() -> AccessPolicy.authorize("atrest.v1.DatabaseKeyService/DeleteEverything",
                Optional.empty(), everything, Optional.of("p1")))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("no access rule");
    }

    @Test
    void authorize_projectRequestWithoutProject_onlyAllProjectsCallersPass() {
        assertDenied(() -> AccessPolicy.authorize(METHOD, ADMIN_ON_PROJECT, caller(Role.ADMIN, "p1"), Optional.empty()),
                "ADMIN", "");
        assertThatCode(() -> AccessPolicy.authorize(METHOD, ADMIN_ON_PROJECT, everywhere(Role.ADMIN), Optional.empty()))
                .doesNotThrowAnyException();
    }

    @Test
    void authorize_malformedProjectId_notRepeatedInTheDenial() {
        String hostile = "p1\n" + "x".repeat(10_000);

        assertThatThrownBy(() -> authorize(ADMIN_ON_PROJECT, caller(Role.ADMIN, "p1"), hostile))
                .isInstanceOfSatisfying(PermissionDeniedException.class, e -> {
                    assertThat(e.getMessage()).doesNotContain("xxxx");
                    assertThat(e.projectId()).isEmpty();
                });
    }

    @Test
    void rule_rolesAndScopeDisagree_refused() {
        assertThatThrownBy(() -> new Rule(Set.of(), Scope.PROJECT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rule(Set.of(), Scope.ALL_PROJECTS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rule(Set.of(Role.ADMIN), Scope.ANY_CALLER))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isPublic_healthAndReflectionOnly() {
        assertThat(AccessPolicy.isPublic("grpc.health.v1.Health/Check")).isTrue();
        assertThat(AccessPolicy.isPublic("grpc.reflection.v1.ServerReflection/ServerReflectionInfo")).isTrue();
        assertThat(AccessPolicy.isPublic("grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")).isTrue();
        assertThat(AccessPolicy.isPublic("atrest.v1.AccessService/WhoAmI")).isFalse();
        assertThat(AccessPolicy.isPublic("grpc.health.v1.HealthX/Check")).isFalse();
    }

    private static void authorize(Optional<Rule> rule, Caller caller, String project) {
        AccessPolicy.authorize(METHOD, rule, caller, Optional.of(project));
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
