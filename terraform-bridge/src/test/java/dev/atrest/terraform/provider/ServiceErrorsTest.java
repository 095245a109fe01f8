package dev.atrest.terraform.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

class ServiceErrorsTest {

    private static final ServiceErrors.AttributeMapping NO_ATTRIBUTES = new ServiceErrors.AttributeMapping() {
        @Override
        public String forField(String serviceField) {
            return null;
        }

        @Override
        public String forReason(String reason) {
            return null;
        }
    };

    @Test
    void report_unauthenticated_pointsAtTheToken() {
        Diagnostics diagnostics = new Diagnostics();

        ServiceErrors.report("read encryption of project p1",
                Status.UNAUTHENTICATED.withDescription("missing or invalid credentials").asRuntimeException(),
                NO_ATTRIBUTES, "localhost:9090", diagnostics);

        Tfplugin6.Diagnostic only = diagnostics.asList().get(0);
        assertThat(diagnostics.asList()).hasSize(1);
        assertThat(only.getSummary()).isEqualTo("cannot read encryption of project p1");
        assertThat(only.getDetail()).contains("missing or invalid credentials", "ATREST_TOKEN");
    }

    @Test
    void report_permissionDenied_saysWhichIdentityIsNeeded() {
        Diagnostics diagnostics = new Diagnostics();

        ServiceErrors.report("enable encryption of project p1",
                Status.PERMISSION_DENIED.withDescription("role KEY_CONSUMER may not").asRuntimeException(),
                NO_ATTRIBUTES, "localhost:9090", diagnostics);

        assertThat(diagnostics.asList()).singleElement()
                .satisfies(d -> assertThat(d.getDetail()).contains("role KEY_CONSUMER may not", "ADMIN"));
    }

    @Test
    void report_unimplemented_saysTheServiceIsOlderThanTheProvider() {
        Diagnostics diagnostics = new Diagnostics();

        ServiceErrors.report("rotate the key of database 1 of cluster p1/c1", Status.UNIMPLEMENTED
                .withDescription("Method not found: atrest.v1.ClusterEncryptionService/RotateDatabaseKey")
                .asRuntimeException(), NO_ATTRIBUTES, "localhost:9090", diagnostics);

        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(d.getSummary()).isEqualTo("cannot rotate the key of database 1 of cluster p1/c1");
            assertThat(d.getDetail()).contains("localhost:9090", "RotateDatabaseKey", "older than this provider",
                    "Upgrade the key service");
        });
    }
}
