package dev.atrest.keyservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.domain.AccessPolicy;
import grpc.health.v1.HealthGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every method of every atrest.v1 service declares its access rule in the contract, and the declaration
 * reads: the policy fails closed, so a method added to the contract without its {@code (atrest.v1.access)}
 * option would be unreachable, and this test says which. The services are found by scanning the generated
 * stubs (ContractServices), so a new service is covered without editing this test.
 */
class AccessPolicyCoversContractTest {
    @Test
    void everyContractMethod_declaresItsAccess() {
        List<ServiceDescriptor> services = ContractServices.all();
        List<MethodDescriptor<?, ?>> methods = services.stream().<MethodDescriptor<?, ?>>flatMap(
                s -> s.getMethods().stream()).toList();

        assertThat(services).extracting(ServiceDescriptor::getName).contains("atrest.v1.AccessService",
                "atrest.v1.DatabaseKeyService", "atrest.v1.AuditService", "atrest.v1.ProjectEncryptionService");
        assertThat(methods).hasSizeGreaterThanOrEqualTo(23).allSatisfy(method -> {
            assertThat(MethodDeclarations.of(method)).as("(atrest.v1.access) of " + method.getFullMethodName())
                    .isPresent();
            assertThat(AccessPolicy.isPublic(method.getFullMethodName())).isFalse();
        });
    }

    @Test
    void methodOfAnotherContract_declaresNothing() {
        assertThat(MethodDeclarations.of(HealthGrpc.getCheckMethod())).isEmpty();
    }
}
