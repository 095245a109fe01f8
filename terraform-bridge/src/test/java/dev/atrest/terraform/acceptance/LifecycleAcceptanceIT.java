package dev.atrest.terraform.acceptance;

import static dev.atrest.terraform.acceptance.Acceptance.expectExit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.v1.ClusterEncryption;
import dev.atrest.v1.ClusterEncryptionState;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.ProjectEncryption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Terraform's lifecycle against what the key service stores, with OpenTofu and HashiCorp Terraform: a
 * replacement never leaves a cluster unencrypted, with or without {@code create_before_destroy}, and a
 * second configuration cannot take over a project another one manages. Every provider start's stdout is
 * checked to be the handshake line alone, with the provider logging at TRACE (TF_LOG_PROVIDER), its most
 * talkative. One key service, shared with the other {@link ServiceAndCapturedProvider} classes; each test its
 * own project.
 */
class LifecycleAcceptanceIT extends ServiceAndCapturedProvider {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cli.class)
    void replace_createBeforeDestroy_clusterNeverUnencrypted(Cli cli) throws Exception {
        String project = projectId("cbd", cli);
        WorkingDirectory dir = workingDirectory(cli, project, projectAndCluster(project, "k1", """
                  lifecycle {
                    create_before_destroy = true
                  }
                """));
        expectExit(dir.run("init", "-input=false"), 0);
        expectExit(dir.run("apply", "-auto-approve", "-input=false"), 0);
        ClusterEncryption before = service.cluster(project, "c1");
        assertThat(before.getState()).isEqualTo(ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_ENABLED);

        WorkingDirectory.Result replace = dir.run("apply", "-auto-approve", "-input=false",
                "-replace=atrest_cluster_encryption.c1");

        // The new object is created while the old one still holds the cluster: create must refuse to adopt it
        // (or, had it succeeded, the deposed object's delete must leave the new incarnation alone).
        if (replace.exitCode() != 0) {
            expectExit(replace, 1);
            assertExistsDiagnostic(replace, project + "/c1");
        }
        ClusterEncryption after = service.cluster(project, "c1");
        assertThat(after.getState()).isEqualTo(ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_ENABLED);
        assertThat(after.getEncryptionAtRestProvider()).isEqualTo(EncryptionAtRestProvider.LOCAL);
        // Never off in between: switching it off and on again writes the row twice (a new etag) and starts a
        // new incarnation (generation).
        assertThat(after.getGeneration()).as("generation").isEqualTo(before.getGeneration()).isPositive();
        assertThat(after.getEtag()).as("etag: the cluster's row was never written").isEqualTo(before.getEtag());
        assertThat(service.auditRecords(project, ServiceView.SET_CLUSTER, "projects/" + project + "/clusters/c1"))
                .as("SetClusterEncryption calls: the initial apply's only").hasSize(1);
        // And the state still describes the cluster: nothing left over (no deposed object) for the next apply.
        expectExit(dir.run("plan", "-detailed-exitcode", "-input=false"), 0);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cli.class)
    void replace_destroyThenCreate_clusterEndsEncrypted(Cli cli) throws Exception {
        String project = projectId("replace", cli);
        WorkingDirectory dir = workingDirectory(cli, project, projectAndCluster(project, "k1", ""));
        expectExit(dir.run("init", "-input=false"), 0);
        expectExit(dir.run("apply", "-auto-approve", "-input=false"), 0);
        ClusterEncryption before = service.cluster(project, "c1");

        WorkingDirectory.Result replace = dir.run("apply", "-auto-approve", "-input=false",
                "-replace=atrest_cluster_encryption.c1");

        expectExit(replace, 0);
        assertThat(replace.output()).contains("1 added, 0 changed, 1 destroyed");
        ClusterEncryption after = service.cluster(project, "c1");
        assertThat(after.getState()).isEqualTo(ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_ENABLED);
        assertThat(after.getEncryptionAtRestProvider()).isEqualTo(EncryptionAtRestProvider.LOCAL);
        // Really replaced: destroy switched it off and create on again (a new incarnation), on the same keys.
        assertThat(after.getGeneration()).as("generation").isEqualTo(before.getGeneration() + 1);
        assertThat(after.getMasterKeyVersion()).isEqualTo(before.getMasterKeyVersion());
        expectExit(dir.run("plan", "-detailed-exitcode", "-input=false"), 0);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cli.class)
    void create_projectManagedElsewhere_failsWithExistsAndChangesNothing(Cli cli) throws Exception {
        String sameKey = projectId("taken-same", cli);
        String otherKey = projectId("taken-other", cli);
        WorkingDirectory owner = workingDirectory(cli, "owner-" + sameKey,
                project(sameKey, "k1") + project(otherKey, "k1"));
        expectExit(owner.run("init", "-input=false"), 0);
        expectExit(owner.run("apply", "-auto-approve", "-input=false"), 0);
        ProjectEncryption sameBefore = service.project(sameKey);
        ProjectEncryption otherBefore = service.project(otherKey);

        // Another working directory, its own state: one project with the owner's key, one with another key.
        WorkingDirectory intruder = workingDirectory(cli, "intruder-" + sameKey,
                project(sameKey, "k1") + project(otherKey, "k2"));
        expectExit(intruder.run("init", "-input=false"), 0);
        WorkingDirectory.Result create = intruder.run("apply", "-auto-approve", "-input=false");

        expectExit(create, 1);
        assertExistsDiagnostic(create, sameKey);
        assertExistsDiagnostic(create, otherKey);
        for (ProjectEncryption before : new ProjectEncryption[] {sameBefore, otherBefore}) {
            ProjectEncryption after = service.project(before.getProjectId());
            assertThat(after.getProvider()).isEqualTo(EncryptionAtRestProvider.LOCAL);
            assertThat(after.getLocalKey().getKeyId()).isEqualTo("k1");
            assertThat(after.getEtag()).as("etag of %s", before.getProjectId()).isEqualTo(before.getEtag());
            assertThat(after.getGeneration()).as("generation of %s", before.getProjectId())
                    .isEqualTo(before.getGeneration());
        }
        assertThat(intruder.run("state", "list").output()).as("the intruder's state").doesNotContain("atrest_");
    }

    /** The error a create gets on an object whose encryption is on already: which one, and how to import it. */
    private static void assertExistsDiagnostic(WorkingDirectory.Result result, String importId) {
        assertThat(result.output())
                .containsPattern("Error: .*" + Pattern.quote(importId) + " already has encryption at rest")
                .contains("import {");
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
        return new WorkingDirectory(cli, dir, mirror.path(), keyService, true)
                .withEnvironment("TF_LOG_PROVIDER", "TRACE");
    }

    private static String projectId(String scenario, Cli cli) {
        return scenario + "-" + cli.command + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    private static String project(String projectId, String keyId) {
        return """
                resource "atrest_project_encryption" "%1$s" {
                  project_id = "%1$s"
                  local_key_config {
                    enabled = true
                    key_id  = "%2$s"
                  }
                }
                """.formatted(projectId, keyId);
    }

    /** Project {@code projectId} and its cluster c1, whose resource block ends with {@code clusterExtra}. */
    private static String projectAndCluster(String projectId, String keyId, String clusterExtra) {
        return project(projectId, keyId) + """
                resource "atrest_cluster_encryption" "c1" {
                  project_id                  = atrest_project_encryption.%s.project_id
                  cluster_name                = "c1"
                  encryption_at_rest_provider = "LOCAL"
                %s}
                """.formatted(projectId, clusterExtra);
    }
}
