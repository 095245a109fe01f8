package dev.atrest.keyservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import dev.atrest.keyservice.domain.AccessPolicy;
import dev.atrest.keyservice.domain.Caller;
import dev.atrest.keyservice.domain.PermissionDeniedException;
import dev.atrest.keyservice.domain.Role;
import dev.atrest.v1.AccessServiceGrpc;
import dev.atrest.v1.AuditServiceGrpc;
import dev.atrest.v1.CreateAccessTokenRequest;
import dev.atrest.v1.DatabaseKeyServiceGrpc;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.ListSnapshotsRequest;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.ProjectEncryptionServiceGrpc;
import dev.atrest.v1.SnapshotServiceGrpc;
import dev.atrest.v1.UpdateProjectEncryptionRequest;
import dev.atrest.v1.VerifyAuditLogRequest;
import dev.atrest.v1.WhoAmIRequest;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * What the contract's declarations mean for real callers of real RPCs: the promises access.proto makes
 * (ADMIN configures, KEY_CONSUMER reads keys, neither implies the other; tokens and the audit log need
 * ADMIN on all projects) hold for the rules read from the descriptors.
 */
class DeclaredAccessTest {
    private static final GetDatabaseKeyRequest GET_KEY = GetDatabaseKeyRequest.newBuilder().setProjectId("p1")
            .setClusterName("c1").setDatabaseName("orders").build();

    @Test
    void getDatabaseKey_consumerOnItsProject_getsKeysThereOnly() {
        Caller consumer = caller(Role.KEY_CONSUMER, "p1");

        assertThatCode(() -> authorize(DatabaseKeyServiceGrpc.getGetDatabaseKeyMethod(), GET_KEY, consumer))
                .doesNotThrowAnyException();
        assertDenied(() -> authorize(DatabaseKeyServiceGrpc.getGetDatabaseKeyMethod(),
                GET_KEY.toBuilder().setProjectId("p2").build(), consumer), "KEY_CONSUMER", "p2");
    }

    @Test
    void dataPlane_adminEverywhere_neverGetsKeys() {
        for (MethodDescriptor<?, ?> method : DatabaseKeyServiceGrpc.getServiceDescriptor().getMethods()) {
            assertThat(declared(method).anyOf()).as(method.getFullMethodName())
                    .containsExactly(Role.KEY_CONSUMER);
        }
        assertDenied(() -> authorize(DatabaseKeyServiceGrpc.getGetDatabaseKeyMethod(), GET_KEY, everywhere(Role.ADMIN)),
                "KEY_CONSUMER", "p1");
    }

    @Test
    void configurationPlane_consumerEverywhere_cannotConfigure() {
        for (MethodDescriptor<?, ?> method : ProjectEncryptionServiceGrpc.getServiceDescriptor().getMethods()) {
            assertThat(declared(method).anyOf()).as(method.getFullMethodName()).containsExactly(Role.ADMIN);
        }
        UpdateProjectEncryptionRequest update = UpdateProjectEncryptionRequest.newBuilder()
                .setProjectEncryption(ProjectEncryption.newBuilder().setProjectId("p1")).build();

        assertDenied(() -> authorize(ProjectEncryptionServiceGrpc.getUpdateProjectEncryptionMethod(), update,
                everywhere(Role.KEY_CONSUMER)), "ADMIN", "p1");
        assertThatCode(() -> authorize(ProjectEncryptionServiceGrpc.getUpdateProjectEncryptionMethod(), update,
                caller(Role.ADMIN, "p1"))).doesNotThrowAnyException();
    }

    @Test
    void listSnapshots_eitherRoleOnTheProject() {
        ListSnapshotsRequest list = ListSnapshotsRequest.newBuilder().setProjectId("p1").setClusterName("c1").build();
        MethodDescriptor<?, ?> method = SnapshotServiceGrpc.getListSnapshotsMethod();

        assertThatCode(() -> authorize(method, list, caller(Role.ADMIN, "p1"))).doesNotThrowAnyException();
        assertThatCode(() -> authorize(method, list, caller(Role.KEY_CONSUMER, "p1"))).doesNotThrowAnyException();
        assertDenied(() -> authorize(method, list.toBuilder().setProjectId("p2").build(), caller(Role.ADMIN, "p1")),
                "ADMIN or KEY_CONSUMER", "p2");
    }

    @Test
    void tokensAndAuditLog_needAdminOnAllProjects() {
        assertThatCode(() -> authorize(AccessServiceGrpc.getCreateAccessTokenMethod(),
                CreateAccessTokenRequest.getDefaultInstance(), everywhere(Role.ADMIN))).doesNotThrowAnyException();
        assertDenied(() -> authorize(AccessServiceGrpc.getCreateAccessTokenMethod(),
                CreateAccessTokenRequest.getDefaultInstance(), caller(Role.ADMIN, "p1", "p2")), "ADMIN", "*");
        for (ServiceDescriptor service : new ServiceDescriptor[] {AuditServiceGrpc.getServiceDescriptor(),
                AccessServiceGrpc.getServiceDescriptor()}) {
            for (MethodDescriptor<?, ?> method : service.getMethods()) {
                if (!method.equals(AccessServiceGrpc.getWhoAmIMethod())) {
                    assertThat(declared(method)).as(method.getFullMethodName())
                            .isEqualTo(new AccessPolicy.Rule(Set.of(Role.ADMIN), AccessPolicy.Scope.ALL_PROJECTS));
                }
            }
        }
        assertDenied(() -> authorize(AuditServiceGrpc.getVerifyAuditLogMethod(),
                VerifyAuditLogRequest.getDefaultInstance(), caller(Role.ADMIN, "p1")), "ADMIN", "*");
    }

    @Test
    void whoAmI_anyCaller() {
        Caller nobody = new Caller("certificate:x", Set.of(Role.KEY_CONSUMER), Set.of(), false);

        assertThatCode(() -> authorize(AccessServiceGrpc.getWhoAmIMethod(), WhoAmIRequest.getDefaultInstance(), nobody))
                .doesNotThrowAnyException();
    }

    /** What the access interceptor does: the method's declared rule, on the project its declared resource names. */
    private static void authorize(MethodDescriptor<?, ?> method, Message request, Caller caller) {
        MethodDeclaration declaration = MethodDeclarations.of(method).orElseThrow();
        AccessPolicy.authorize(method.getFullMethodName(), Optional.of(declaration.rule()), caller,
                declaration.resource().projectId(request));
    }

    private static AccessPolicy.Rule declared(MethodDescriptor<?, ?> method) {
        return MethodDeclarations.of(method).orElseThrow().rule();
    }

    private static Caller caller(Role role, String... projects) {
        return new Caller("token:t", Set.of(role), Set.of(projects), false);
    }

    private static Caller everywhere(Role role) {
        return new Caller("token:t", Set.of(role), Set.of(), true);
    }

    private static void assertDenied(ThrowingCallable call, String role, String project) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PermissionDeniedException.class, e -> {
            assertThat(e.requiredRole()).isEqualTo(role);
            assertThat(e.projectId()).isEqualTo(project);
        });
    }
}
