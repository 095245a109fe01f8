package dev.atrest.keyservice.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.v1.AuditServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every atrest.v1 method is classified for the audit log: a new RPC that changes something must not slip
 * through unaudited because nobody thought of it. The methods come from the generated stubs' service
 * descriptors, found by listing the proto artifact, so a new service is covered without editing this test.
 */
class AuditedCallsTest {

    @Test
    void everyAtrestMethod_isAuditedOrReadOnly_andNotBoth() throws Exception {
        Set<String> methods = atrestMethods();

        assertThat(methods).as("the scan found the services").hasSizeGreaterThanOrEqualTo(20)
                .contains("atrest.v1.DatabaseKeyService/GetDatabaseKey", "atrest.v1.AuditService/VerifyAuditLog");
        assertThat(AuditedCalls.AUDITED).doesNotContainAnyElementsOf(AuditedCalls.READ_ONLY);
        Set<String> classified = new HashSet<>(AuditedCalls.AUDITED);
        classified.addAll(AuditedCalls.READ_ONLY);
        assertThat(classified).as("every atrest.v1 method, and nothing else").isEqualTo(methods);
    }

    @Test
    void auditedMethods_areUnary() throws Exception {
        // The interceptor holds back exactly one answer until the call's record is queued.
        Map<String, MethodDescriptor.MethodType> types = new java.util.HashMap<>();
        for (ServiceDescriptor service : services()) {
            for (MethodDescriptor<?, ?> method : service.getMethods()) {
                types.put(method.getFullMethodName(), method.getType());
            }
        }

        assertThat(AuditedCalls.AUDITED).allSatisfy(method ->
                assertThat(types.get(method)).isEqualTo(MethodDescriptor.MethodType.UNARY));
    }

    private static Set<String> atrestMethods() throws Exception {
        Set<String> methods = new HashSet<>();
        for (ServiceDescriptor service : services()) {
            service.getMethods().forEach(method -> methods.add(method.getFullMethodName()));
        }
        return methods;
    }

    /** The service descriptor of every generated {@code dev.atrest.v1.*Grpc} class. */
    private static List<ServiceDescriptor> services() throws IOException, URISyntaxException, ReflectiveOperationException {
        Path location = Path.of(AuditServiceGrpc.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> classNames;
        if (Files.isDirectory(location)) {
            classNames = grpcClasses(location.resolve("dev/atrest/v1"));
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(location)) {
                classNames = grpcClasses(jar.getPath("dev/atrest/v1"));
            }
        }
        List<ServiceDescriptor> services = new java.util.ArrayList<>();
        for (String className : classNames) {
            Class<?> stubs = Class.forName("dev.atrest.v1." + className);
            services.add((ServiceDescriptor) stubs.getMethod("getServiceDescriptor").invoke(null));
        }
        return services;
    }

    private static List<String> grpcClasses(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith("Grpc.class"))
                    .map(name -> name.substring(0, name.length() - ".class".length()))
                    .toList();
        }
    }
}
