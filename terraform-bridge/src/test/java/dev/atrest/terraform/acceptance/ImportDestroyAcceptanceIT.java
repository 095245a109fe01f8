package dev.atrest.terraform.acceptance;

import static dev.atrest.terraform.acceptance.Acceptance.expectExit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.v1.ClusterEncryptionState;
import dev.atrest.v1.EncryptionAtRestProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A project and three clusters encrypted by another tool, brought under Terraform with {@code import {}}
 * blocks and the configuration {@code plan -generate-config-out} wrote, then destroyed; ten times per CLI, each
 * time a new incarnation of the same objects, imported afresh. The generated configuration names the project
 * by its literal id, so nothing orders the project's delete after its clusters': the project's disable races
 * theirs, is refused while one is still encrypted, and the provider has to retry it until they are done.
 * Every provider start's stdout is checked to be the handshake alone.
 */
class ImportDestroyAcceptanceIT extends ServiceAndCapturedProvider {

    private static final int ROUNDS = 10;
    private static final List<String> CLUSTERS = List.of("c1", "c2", "c3");
    private static final String DISABLE_PROJECT = "atrest.v1.ProjectEncryptionService/DisableProjectEncryption";

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cli.class)
    void destroy_importedWithGeneratedConfiguration_succeedsEveryTime(Cli cli) throws Exception {
        String project = "imported-" + cli.command + "-" + UUID.randomUUID().toString().substring(0, 6);
        WorkingDirectory dir = workingDirectory(cli, project);
        expectExit(dir.run("init", "-input=false"), 0);

        int refusedRounds = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            service.encryptLocally(project, "k1", CLUSTERS);
            long refusalsBefore = disableRefusals(project);
            if (round == 1) {
                // The same objects each round: the configuration generated once stays right (and saves a command
                // per round); each apply imports them afresh.
                expectExit(dir.run("plan", "-input=false", "-generate-config-out=generated.tf"), 0);
                assertThat(Files.readString(dir.path().resolve("generated.tf")))
                        .as("generated configuration: literal ids, so nothing orders the project after its clusters")
                        .containsPattern("project_id\\s+= \"" + project + "\"")
                        .doesNotContain("atrest_project_encryption.project.");
            }
            WorkingDirectory.Result apply = dir.run("apply", "-auto-approve", "-input=false");
            expectExit(apply, 0);
            assertThat(apply.output()).contains("4 imported");
            WorkingDirectory.Result destroy = dir.run("destroy", "-auto-approve", "-input=false");

            assertThat(destroy.exitCode()).as("round %d of %d: destroy's exit code; output:%n%s", round, ROUNDS,
                    destroy.output()).isZero();
            assertThat(service.project(project).getProvider()).as("round %d: project", round)
                    .isEqualTo(EncryptionAtRestProvider.NONE);
            for (String cluster : CLUSTERS) {
                assertThat(service.cluster(project, cluster).getState()).as("round %d: cluster %s", round, cluster)
                        .isEqualTo(ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_DISABLED);
            }
            if (disableRefusals(project) > refusalsBefore) {
                refusedRounds++;
            }
        }
        // How often the race this test is about happened (the provider retried a refused disable); not asserted:
        // Terraform's scheduling decides it.
        System.out.printf("%s: the project's disable was refused and retried in %d of %d destroys%n",
                cli.command, refusedRounds, ROUNDS);
    }

    /** The project's disables the service refused so far (because clusters were still encrypted). */
    private long disableRefusals(String project) {
        return service.auditRecords(project).stream()
                .filter(record -> record.getAction().equals(DISABLE_PROJECT) && !record.getOutcome().equals("OK"))
                .count();
    }

    private WorkingDirectory workingDirectory(Cli cli, String project) throws IOException {
        Path dir = Files.createDirectories(workRoot.resolve(project));
        StringBuilder imports = new StringBuilder("""
                terraform {
                  required_providers {
                    atrest = { source = "registry.terraform.io/atrest/atrest" }
                  }
                }
                import {
                  to = atrest_project_encryption.project
                  id = "%s"
                }
                """.formatted(project));
        for (String cluster : CLUSTERS) {
            imports.append("""
                    import {
                      to = atrest_cluster_encryption.%2$s
                      id = "%1$s/%2$s"
                    }
                    """.formatted(project, cluster));
        }
        Files.writeString(dir.resolve("main.tf"), imports);
        return new WorkingDirectory(cli, dir, mirror.path(), keyService, true);
    }
}
