package dev.atrest.keyservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.domain.AccessPolicy;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every method of every atrest.v1 service has an access rule: the policy fails closed, so a method added
 * to the contract without a rule would be unreachable, and this test says which. The services are found
 * by scanning the generated stubs (ContractServices), so a new service is covered without editing this test.
 */
class AccessPolicyCoversContractTest {
    @Test
    void everyContractMethod_hasARule() {
        List<ServiceDescriptor> services = ContractServices.all();
        List<String> methods = services.stream().flatMap(s -> s.getMethods().stream())
                .map(MethodDescriptor::getFullMethodName).toList();
        AccessPolicy policy = AccessPolicy.atrestV1();

        assertThat(services).extracting(ServiceDescriptor::getName).contains("atrest.v1.AccessService",
                "atrest.v1.DatabaseKeyService", "atrest.v1.AuditService", "atrest.v1.ProjectEncryptionService");
        assertThat(methods).hasSizeGreaterThanOrEqualTo(23)
                .allSatisfy(method -> assertThat(policy.rule(method)).as("access rule for " + method).isPresent())
                .noneMatch(policy::isPublic);
    }
}
