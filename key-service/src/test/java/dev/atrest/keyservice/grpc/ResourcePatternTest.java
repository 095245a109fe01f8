package dev.atrest.keyservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.v1.AccessServiceGrpc;
import dev.atrest.v1.DatabaseKeyServiceGrpc;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.ProjectEncryptionServiceGrpc;
import dev.atrest.v1.RevokeAccessTokenRequest;
import dev.atrest.v1.UpdateProjectEncryptionRequest;
import io.grpc.MethodDescriptor;
import org.junit.jupiter.api.Test;

/** What the declared resource patterns of real RPCs name, for requests filled in more or less. */
class ResourcePatternTest {
    private static final GetDatabaseKeyRequest GET_KEY = GetDatabaseKeyRequest.newBuilder().setProjectId("p1")
            .setClusterName("c1").setDatabaseName("orders").build();

    @Test
    void describe_everyFieldSet_mostSpecificResource() {
        ResourcePattern pattern = declared(DatabaseKeyServiceGrpc.getGetDatabaseKeyMethod());

        assertThat(pattern.describe(GET_KEY)).isEqualTo("projects/p1/clusters/c1/databases/orders");
        assertThat(pattern.projectId(GET_KEY)).contains("p1");
    }

    @Test
    void describe_blankField_stopsBeforeIt() {
        ResourcePattern pattern = declared(DatabaseKeyServiceGrpc.getGetDatabaseKeyMethod());

        assertThat(pattern.describe(GET_KEY.toBuilder().setClusterName(" ").build())).isEqualTo("projects/p1");
        assertThat(pattern.describe(GET_KEY.toBuilder().setDatabaseName("").build()))
                .isEqualTo("projects/p1/clusters/c1");
        assertThat(pattern.describe(GET_KEY.toBuilder().clearProjectId().build())).isEmpty();
        assertThat(pattern.projectId(GET_KEY.toBuilder().setProjectId("  ").build())).isEmpty();
    }

    @Test
    void describe_projectInANestedMessage_readThroughIt() {
        ResourcePattern pattern = declared(ProjectEncryptionServiceGrpc.getUpdateProjectEncryptionMethod());
        UpdateProjectEncryptionRequest update = UpdateProjectEncryptionRequest.newBuilder()
                .setProjectEncryption(ProjectEncryption.newBuilder().setProjectId("p1")).build();

        assertThat(pattern.describe(update)).isEqualTo("projects/p1");
        assertThat(pattern.projectId(update)).contains("p1");
        assertThat(pattern.describe(UpdateProjectEncryptionRequest.getDefaultInstance())).isEmpty();
    }

    @Test
    void describe_tokenResource_namesNoProject() {
        ResourcePattern pattern = declared(AccessServiceGrpc.getRevokeAccessTokenMethod());
        RevokeAccessTokenRequest revoke = RevokeAccessTokenRequest.newBuilder().setTokenId("tok-1").build();

        assertThat(pattern.describe(revoke)).isEqualTo("tokens/tok-1");
        assertThat(pattern.projectId(revoke)).isEmpty();
    }

    private static ResourcePattern declared(MethodDescriptor<?, ?> method) {
        return MethodDeclarations.of(method).orElseThrow().resource();
    }
}
