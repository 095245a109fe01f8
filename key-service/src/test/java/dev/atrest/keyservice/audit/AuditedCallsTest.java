package dev.atrest.keyservice.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.grpc.ContractServices;
import dev.atrest.keyservice.grpc.MethodDeclarations;
import io.grpc.MethodDescriptor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every atrest.v1 method declares whether it is audited: a new RPC that changes something must not slip
 * through unaudited because nobody thought of it, so reading a declaration refuses one that leaves
 * {@code audit} unset. The methods come from the generated stubs (ContractServices), so a new service is
 * covered without editing this test.
 */
class AuditedCallsTest {

    @Test
    void everyAtrestMethod_declaresAuditedOrReadOnly() {
        List<MethodDescriptor<?, ?>> methods = atrestMethods();

        assertThat(methods).as("the scan found the services").hasSizeGreaterThanOrEqualTo(20);
        assertThat(methods).allSatisfy(method -> assertThat(MethodDeclarations.of(method))
                .as(method.getFullMethodName()).isPresent());
        assertThat(audited(methods)).as("a key release and a change are audited, reads are not")
                .contains("atrest.v1.DatabaseKeyService/GetDatabaseKey",
                        "atrest.v1.ProjectEncryptionService/UpdateProjectEncryption")
                .doesNotContain("atrest.v1.AuditService/VerifyAuditLog",
                        "atrest.v1.ProjectEncryptionService/GetProjectEncryption");
    }

    @Test
    void auditedMethods_areUnary() {
        // The interceptor holds back exactly one answer until the call's record is queued.
        assertThat(atrestMethods()).filteredOn(method -> MethodDeclarations.of(method).orElseThrow().audited())
                .isNotEmpty()
                .allSatisfy(method -> assertThat(method.getType()).isEqualTo(MethodDescriptor.MethodType.UNARY));
    }

    private static List<String> audited(List<MethodDescriptor<?, ?>> methods) {
        return methods.stream().filter(method -> MethodDeclarations.of(method).orElseThrow().audited())
                .map(MethodDescriptor::getFullMethodName).toList();
    }

    private static List<MethodDescriptor<?, ?>> atrestMethods() {
        return ContractServices.all().stream().<MethodDescriptor<?, ?>>flatMap(s -> s.getMethods().stream()).toList();
    }
}
