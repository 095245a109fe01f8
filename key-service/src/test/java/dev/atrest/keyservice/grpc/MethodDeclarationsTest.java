package dev.atrest.keyservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors;
import dev.atrest.keyservice.domain.AccessPolicy;
import dev.atrest.keyservice.domain.Role;
import dev.atrest.v1.AccessProto;
import dev.atrest.v1.AccessScope;
import dev.atrest.v1.AuditRule;
import dev.atrest.v1.MethodAccess;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Reading one declaration, on methods of a contract made up here: what a valid one yields, and that a
 * declaration breaking the option's rules is refused with what is wrong instead of being half-applied.
 */
class MethodDeclarationsTest {
    private static final MethodAccess CONSUMER_AUDITED = MethodAccess.newBuilder()
            .addRoles(dev.atrest.v1.Role.KEY_CONSUMER).setScope(AccessScope.ACCESS_SCOPE_PROJECT)
            .setAudit(AuditRule.AUDIT_RULE_EVERY_CALL).setResource("projects/{project_id}/clusters/{cluster_name}")
            .build();

    @Test
    void of_validDeclaration_ruleAuditAndResource() {
        MethodDeclaration declared = MethodDeclarations.of(method(CONSUMER_AUDITED, false)).orElseThrow();

        assertThat(declared.rule())
                .isEqualTo(new AccessPolicy.Rule(Set.of(Role.KEY_CONSUMER), AccessPolicy.Scope.PROJECT));
        assertThat(declared.audited()).isTrue();
        assertThat(declared.resource()).hasToString("projects/{project_id}/clusters/{cluster_name}");
    }

    @Test
    void of_noOption_empty() {
        assertThat(MethodDeclarations.of(method(null, false))).isEmpty();
    }

    @Test
    void of_scopeOrAuditNotSet_refused() {
        assertRefused(CONSUMER_AUDITED.toBuilder().clearScope().build(), "scope is not set");
        assertRefused(CONSUMER_AUDITED.toBuilder().clearAudit().build(), "audit is not set");
    }

    @Test
    void of_rolesDisagreeWithScope_refused() {
        assertRefused(CONSUMER_AUDITED.toBuilder().clearRoles().build(), "names the roles");
        assertRefused(CONSUMER_AUDITED.toBuilder().setScope(AccessScope.ACCESS_SCOPE_ANY_CALLER).build(),
                "any caller names no roles");
        assertRefused(CONSUMER_AUDITED.toBuilder().addRoles(dev.atrest.v1.Role.ROLE_UNSPECIFIED).build(),
                "ROLE_UNSPECIFIED, which is not a role");
    }

    @Test
    void of_projectScopeWithoutProjectInTheResource_refused() {
        assertRefused(CONSUMER_AUDITED.toBuilder().clearResource().build(), "needs a resource starting with projects/");
        assertRefused(CONSUMER_AUDITED.toBuilder().setResource("clusters/{cluster_name}").build(),
                "needs a resource starting with projects/");
    }

    @Test
    void of_resourceNamingNoStringField_refused() {
        assertRefused(CONSUMER_AUDITED.toBuilder().setResource("projects/{project}").build(),
                "{project} is not a singular string field of test.Request");
        assertRefused(CONSUMER_AUDITED.toBuilder().setResource("projects/{page_size}").build(), "{page_size}");
        assertRefused(CONSUMER_AUDITED.toBuilder().setResource("projects/{labels}").build(), "{labels}");
        assertRefused(CONSUMER_AUDITED.toBuilder().setResource("projects/project_id").build(),
                "is not collection/{field} pairs");
        assertRefused(CONSUMER_AUDITED.toBuilder().setResource("projects/{project_id}/clusters").build(),
                "is not collection/{field} pairs");
    }

    @Test
    void of_auditedStreamingMethod_refused() {
        assertThatThrownBy(() -> MethodDeclarations.of(method(CONSUMER_AUDITED, true)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("test.TestService.Do").hasMessageContaining("only unary RPCs can be audited");
    }

    private static void assertRefused(MethodAccess access, String why) {
        assertThatThrownBy(() -> MethodDeclarations.of(method(access, false)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("test.TestService.Do (atrest.v1.access): ").hasMessageContaining(why);
    }

    /** TestService.Do(Request) in a contract built here, declared with {@code access} (none when null). */
    private static Descriptors.MethodDescriptor method(MethodAccess access, boolean serverStreaming) {
        MethodOptions.Builder options = MethodOptions.newBuilder();
        if (access != null) {
            options.setExtension(AccessProto.access, access);
        }
        FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("test/declarations.proto")
                .setPackage("test").setSyntax("proto3")
                .addMessageType(DescriptorProto.newBuilder().setName("Request")
                        .addField(field("project_id", 1, FieldDescriptorProto.Type.TYPE_STRING, false))
                        .addField(field("cluster_name", 2, FieldDescriptorProto.Type.TYPE_STRING, false))
                        .addField(field("labels", 3, FieldDescriptorProto.Type.TYPE_STRING, true))
                        .addField(field("page_size", 4, FieldDescriptorProto.Type.TYPE_INT32, false)))
                .addService(ServiceDescriptorProto.newBuilder().setName("TestService")
                        .addMethod(MethodDescriptorProto.newBuilder().setName("Do").setInputType(".test.Request")
                                .setOutputType(".test.Request").setServerStreaming(serverStreaming)
                                .setOptions(options)))
                .build();
        try {
            return Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[0])
                    .findServiceByName("TestService").findMethodByName("Do");
        } catch (Descriptors.DescriptorValidationException e) {
            throw new AssertionError(e);
        }
    }

    private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Type type,
                                              boolean repeated) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(repeated ? FieldDescriptorProto.Label.LABEL_REPEATED
                        : FieldDescriptorProto.Label.LABEL_OPTIONAL)
                .build();
    }
}
