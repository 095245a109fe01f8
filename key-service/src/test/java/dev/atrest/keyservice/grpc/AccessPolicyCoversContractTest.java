package dev.atrest.keyservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.domain.AccessPolicy;
import dev.atrest.v1.AccessServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every method of every atrest.v1 service has an access rule: the policy fails closed, so a method added
 * to the contract without a rule would be unreachable, and this test says which. The services are found
 * by scanning the generated stubs, so a new service is covered without editing this test.
 */
class AccessPolicyCoversContractTest {
    @Test
    void everyContractMethod_hasARule() throws Exception {
        List<ServiceDescriptor> services = contractServices();
        List<String> methods = services.stream().flatMap(s -> s.getMethods().stream())
                .map(MethodDescriptor::getFullMethodName).toList();
        AccessPolicy policy = AccessPolicy.atrestV1();

        assertThat(services).extracting(ServiceDescriptor::getName).contains("atrest.v1.AccessService",
                "atrest.v1.DatabaseKeyService", "atrest.v1.AuditService", "atrest.v1.ProjectEncryptionService");
        assertThat(methods).hasSizeGreaterThanOrEqualTo(23)
                .allSatisfy(method -> assertThat(policy.rule(method)).as("access rule for " + method).isPresent())
                .noneMatch(policy::isPublic);
    }

    private static List<ServiceDescriptor> contractServices() throws IOException, URISyntaxException,
            ReflectiveOperationException {
        Path location = Path.of(AccessServiceGrpc.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<ServiceDescriptor> services = new ArrayList<>();
        if (Files.isDirectory(location)) {
            collect(location, services);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(location, Map.of())) {
                collect(jar.getPath("/"), services);
            }
        }
        return services;
    }

    private static void collect(Path root, List<ServiceDescriptor> services) throws IOException,
            ReflectiveOperationException {
        Path packageDir = root.resolve("dev/atrest/v1");
        try (Stream<Path> files = Files.list(packageDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith("Grpc.class")).toList()) {
                String name = file.getFileName().toString().replace(".class", "");
                Class<?> stubs = Class.forName("dev.atrest.v1." + name);
                services.add((ServiceDescriptor) stubs.getMethod("getServiceDescriptor").invoke(null));
            }
        }
    }
}
