package dev.atrest.keyservice.grpc;

import dev.atrest.v1.AccessServiceGrpc;
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

/** Every atrest.v1 service, found by scanning the generated stubs, so a new service is covered by the tests that use this. */
public final class ContractServices {
    private ContractServices() {}

    public static List<ServiceDescriptor> all() {
        try {
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
        } catch (IOException | URISyntaxException | ReflectiveOperationException e) {
            throw new IllegalStateException("cannot list the atrest.v1 services", e);
        }
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
