package dev.atrest.terraform.acceptance;

import static dev.atrest.terraform.acceptance.Acceptance.expectExit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.v1.AccessServiceGrpc;
import dev.atrest.v1.ClusterEncryptionServiceGrpc;
import dev.atrest.v1.CreateAccessTokenRequest;
import dev.atrest.v1.DatabaseKeyInfo;
import dev.atrest.v1.DatabaseKeyServiceGrpc;
import dev.atrest.v1.GetDatabaseKeyRequest;
import dev.atrest.v1.KeyState;
import dev.atrest.v1.ListClusterKeysRequest;
import dev.atrest.v1.RotateDatabaseKeyRequest;
import dev.atrest.v1.Role;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code atrest_database_key_rotation} with OpenTofu and HashiCorp Terraform against the packaged key service: the
 * first apply makes version 2 of a key a consumer created (version 1), a plan without changes rotates nothing, new
 * {@code triggers} rotate again, a rotation by someone else is not drift, and destroy leaves every version listed.
 * What counts is what the service lists, not what the CLI printed.
 */
class DatabaseKeyRotationIT extends ServiceAndCapturedProvider {

    private static final String CLUSTER = "c1";
    /** MariaDB's default key id: the database key a storage engine reads first. */
    private static final String DATABASE = "1";

    private ManagedChannel admin;
    private ManagedChannel consumer;

    @BeforeAll
    void consumerToken() throws IOException {
        admin = keyService.adminChannel();
        String token = AccessServiceGrpc.newBlockingStub(admin).createAccessToken(CreateAccessTokenRequest.newBuilder()
                .setName("rotation-it-consumer").setRole(Role.KEY_CONSUMER).setAllProjects(true).build()).getSecret();
        consumer = keyService.channelWith(LeakCanaries.remembered("consumer token", token));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cli.class)
    void rotation_applyPlanTriggersDestroy_oneVersionPerRotationAndAllKept(Cli cli) throws Exception {
        String project = "dbrot-" + cli.command + "-" + UUID.randomUUID().toString().substring(0, 6);
        service.encryptLocally(project, "k1", List.of(CLUSTER));
        assertThat(currentKeyVersion(project)).as("the key's first use makes version 1").isEqualTo(1);
        WorkingDirectory dir = workingDirectory(cli, project, rotation(project, CLUSTER));
        expectExit(dir.run("init", "-input=false"), 0);

        WorkingDirectory.Result first = dir.run("apply", "-auto-approve", "-input=false", "-var=quarter=2027-Q1");
        expectExit(first, 0);
        assertThat(first.output()).contains("1 added, 0 changed, 0 destroyed").doesNotContain("Warning");
        assertThat(versions(project)).containsExactly(1, 2);
        assertThat(currentKeyVersion(project)).as("served as current").isEqualTo(2);
        assertThat(dir.run("output", "-raw", "version").output().strip()).isEqualTo("2");

        expectExit(dir.run("plan", "-detailed-exitcode", "-input=false", "-var=quarter=2027-Q1"), 0);
        assertThat(versions(project)).as("a plan without changes rotates nothing").containsExactly(1, 2);

        WorkingDirectory.Result again = dir.run("apply", "-auto-approve", "-input=false", "-var=quarter=2027-Q2");
        expectExit(again, 0);
        assertThat(again.output()).contains("must be replaced", "1 added, 0 changed, 1 destroyed");
        assertThat(versions(project)).containsExactly(1, 2, 3);
        assertThat(dir.run("output", "-raw", "version").output().strip()).isEqualTo("3");

        // Someone else rotates (grpcurl, another configuration): not drift of the rotation this state recorded.
        ClusterEncryptionServiceGrpc.newBlockingStub(admin).rotateDatabaseKey(RotateDatabaseKeyRequest.newBuilder()
                .setProjectId(project).setClusterName(CLUSTER).setDatabaseName(DATABASE).build());
        expectExit(dir.run("plan", "-detailed-exitcode", "-input=false", "-var=quarter=2027-Q2"), 0);
        assertThat(dir.run("state", "show", "atrest_database_key_rotation.key").output()).containsPattern("version += 3");

        WorkingDirectory.Result destroy = dir.run("destroy", "-auto-approve", "-input=false", "-var=quarter=2027-Q2");
        expectExit(destroy, 0);
        assertThat(destroy.output()).contains("1 destroyed").doesNotContain("Warning");
        assertThat(versions(project)).as("key versions outlive their rotation records").containsExactly(1, 2, 3, 4);
        assertThat(keyStates(project)).containsExactly(KeyState.KEY_STATE_RETIRED, KeyState.KEY_STATE_RETIRED,
                KeyState.KEY_STATE_RETIRED, KeyState.KEY_STATE_ACTIVE);
    }

    @Test
    void rotation_clusterNotEncrypted_errorNamingTheDatabaseAndNothingMade() throws Exception {
        String project = "dbrot-plain-" + UUID.randomUUID().toString().substring(0, 6);
        service.encryptLocally(project, "k1", List.of());
        WorkingDirectory dir = workingDirectory(Cli.OPENTOFU, project, rotation(project, "plain"));
        expectExit(dir.run("init", "-input=false"), 0);

        WorkingDirectory.Result apply = dir.run("apply", "-auto-approve", "-input=false", "-var=quarter=2027-Q1");

        expectExit(apply, 1);
        assertThat(apply.output()).contains("Error: cannot rotate the key of database 1 of cluster " + project + "/plain",
                "ENCRYPTION_AT_REST_NOT_ENABLED", "cluster_name  = \"plain\"");
        assertThat(ClusterEncryptionServiceGrpc.newBlockingStub(admin).listClusterKeys(ListClusterKeysRequest
                .newBuilder().setProjectId(project).setClusterName("plain").build()).getDatabaseKeysList()).isEmpty();
        assertThat(dir.run("state", "list").output()).doesNotContain("atrest_");
    }

    /** The current key as a consumer reads it; the first read of a database creates version 1. */
    private int currentKeyVersion(String project) {
        return DatabaseKeyServiceGrpc.newBlockingStub(consumer).getDatabaseKey(GetDatabaseKeyRequest.newBuilder()
                .setProjectId(project).setClusterName(CLUSTER).setDatabaseName(DATABASE).build()).getVersion();
    }

    private List<DatabaseKeyInfo> databaseKeys(String project) {
        return ClusterEncryptionServiceGrpc.newBlockingStub(admin).listClusterKeys(ListClusterKeysRequest.newBuilder()
                .setProjectId(project).setClusterName(CLUSTER).build()).getDatabaseKeysList().stream()
                .filter(key -> key.getDatabaseName().equals(DATABASE)).toList();
    }

    private List<Integer> versions(String project) {
        return databaseKeys(project).stream().map(DatabaseKeyInfo::getVersion).toList();
    }

    private List<KeyState> keyStates(String project) {
        return databaseKeys(project).stream().map(DatabaseKeyInfo::getState).toList();
    }

    private static String rotation(String project, String cluster) {
        return """
                variable "quarter" {
                  type = string
                }
                resource "atrest_database_key_rotation" "key" {
                  project_id    = "%s"
                  cluster_name  = "%s"
                  database_name = "%s"
                  triggers = {
                    quarter = var.quarter
                  }
                }
                output "version" {
                  value = atrest_database_key_rotation.key.version
                }
                """.formatted(project, cluster, DATABASE);
    }

    private WorkingDirectory workingDirectory(Cli cli, String name, String resources) throws IOException {
        Path dir = Files.createDirectories(workRoot.resolve(cli.command + "-" + name));
        Files.writeString(dir.resolve("main.tf"), """
                terraform {
                  required_providers {
                    atrest = { source = "registry.terraform.io/atrest/atrest" }
                  }
                }
                """ + resources);
        return new WorkingDirectory(cli, dir, mirror.path(), keyService, true);
    }
}
