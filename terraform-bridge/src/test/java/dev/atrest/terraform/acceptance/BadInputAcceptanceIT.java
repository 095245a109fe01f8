package dev.atrest.terraform.acceptance;

import static dev.atrest.terraform.acceptance.Acceptance.KEY_SERVICE;
import static dev.atrest.terraform.acceptance.Acceptance.MIRROR;
import static dev.atrest.terraform.acceptance.Acceptance.expectExit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.testsupport.FaultTally;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ProjectEncryptionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Terraform configurations a user gets wrong, against the real provider and key service: wrong types,
 * malformed names, ARNs and regions, values unknown where the provider needs them, megabyte-long strings.
 * Each must end in a diagnostic on the attribute, never in a provider crash (no panic, "plugin exited"
 * or Java stack trace in tofu's output), with nothing stored at the service.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputAcceptanceIT {
    private static final int MEGABYTE = 1 << 20;
    /** What tofu prints when a provider dies, and what a leaked Java exception looks like. */
    private static final List<String> CRASH_SIGNS = List.of("panic:", "plugin exited", "Plugin did not respond",
            "unexpected EOF", "Exception", "\tat dev.atrest", "at io.grpc");
    private static final String HEADER = """
            terraform {
              required_providers {
                atrest = { source = "registry.terraform.io/atrest/atrest" }
              }
            }
            """;

    private Path workRoot;
    private KeyServiceProcess keyService;
    private ManagedChannel channel;
    private FaultTally tally;

    @BeforeAll
    void startKeyService() throws Exception {
        Acceptance.requirePeers();
        workRoot = Acceptance.newWorkRoot();
        keyService = KeyServiceProcess.start(KEY_SERVICE, workRoot);
        channel = keyService.adminChannel();
        tally = FaultTally.begin("BadInputAcceptanceIT", "-");
    }

    @AfterAll
    void stopKeyService() throws Exception {
        if (tally != null) {
            tally.close();
        }
        if (keyService != null) {
            keyService.close(); // and the admin channel
        }
    }

    @Test
    void wrongTypes_plan_tofuPointsAtTheAttributes() throws Exception {
        String project = project("types");
        WorkingDirectory.Result plan = run("types", "plan", """
                resource "atrest_project_encryption" "p" {
                  project_id              = "%s"
                  cmk_rotation_alert_days = "many"
                  local_key_config {
                    enabled = "maybe"
                  }
                }
                resource "atrest_cluster_encryption" "c" {
                  project_id                  = ["%s"]
                  cluster_name                = "c1"
                  encryption_at_rest_provider = "LOCAL"
                }
                """.formatted(project, project), 3);

        assertThat(plan.output()).contains("Incorrect attribute value type", "project_id                  = [\"" + project)
                .contains("cmk_rotation_alert_days = \"many\"").contains("enabled = \"maybe\"");
        assertNothingStored(project);
    }

    @Test
    void malformedNames_plan_failsOnEachAttribute() throws Exception {
        WorkingDirectory.Result plan = run("names", "plan", """
                resource "atrest_project_encryption" "p" {
                  project_id = "has space"
                  local_key_config {
                    enabled = true
                    key_id  = "../etc/passwd"
                  }
                }
                resource "atrest_cluster_encryption" "c" {
                  project_id                  = "ok"
                  cluster_name                = "-starts-with-dash"
                  encryption_at_rest_provider = "LOCAL"
                }
                resource "atrest_cluster_encryption" "long" {
                  project_id                  = "ok"
                  cluster_name                = "%s"
                  encryption_at_rest_provider = "LOCAL"
                }
                """.formatted("c".repeat(65)), 4);

        assertThat(plan.output()).contains("Error: invalid project_id", "project_id = \"has space\"")
                .contains("Error: invalid key_id", "key_id  = \"../etc/passwd\"")
                .contains("Error: invalid cluster_name", "cluster_name                = \"-starts-with-dash\"")
                .contains("cluster_name                = \"" + "c".repeat(65) + "\"");
        assertNothingStored("has space");
    }

    /** The service holds the AWS format rules (regions it knows, ARN shapes): apply gets its answer per field. */
    @Test
    void invalidArnsAndRegion_apply_failsOnTheAttributesAndStoresNothing() throws Exception {
        String project = project("arns");
        WorkingDirectory.Result apply = run("arns", "apply", """
                resource "atrest_project_encryption" "p" {
                  project_id = "%s"
                  aws_kms_config {
                    enabled                = true
                    customer_master_key_id = "arn:aws:kms:us-east-1:12345:key/not-a-key"
                    region                 = "mars-north-9"
                    role_arn               = "arn:aws:iam::111122223333:user/not-a-role"
                  }
                }
                """.formatted(project), 3);

        assertThat(apply.output()).contains("Error: cannot enable encryption of project " + project)
                .contains("customer_master_key_id = \"arn:aws:kms:us-east-1:12345:key/not-a-key\"", "must be a KMS key id")
                .contains("region                 = \"mars-north-9\"", "must be an AWS region")
                .contains("role_arn               = \"arn:aws:iam::111122223333:user/not-a-role\"",
                        "must be an IAM role ARN");
        assertNothingStored(project);
    }

    /** A name known only at apply (from a resource not created yet) is checked when it becomes known. */
    @Test
    void unknownAtPlanThenInvalid_apply_failsBeforeReachingTheService() throws Exception {
        WorkingDirectory.Result apply = run("unknown-name", "apply", """
                resource "terraform_data" "name" {
                  input = "not valid!"
                }
                resource "atrest_project_encryption" "p" {
                  project_id = terraform_data.name.output
                  local_key_config { enabled = true }
                }
                """, 1);

        assertThat(apply.output()).contains("Error: invalid project_id", "project_id = terraform_data.name.output");
        assertNothingStored("not valid!");
    }

    /** The provider's own settings are needed before any plan: unknown ones are a diagnostic, not a crash. */
    @Test
    void unknownEndpoint_plan_saysItMustBeKnown() throws Exception {
        String project = project("unknown-endpoint");
        WorkingDirectory.Result plan = run("unknown-endpoint", "plan", """
                resource "terraform_data" "endpoint" {
                  input = "127.0.0.1:1"
                }
                provider "atrest" {
                  endpoint = terraform_data.endpoint.output
                }
                resource "atrest_project_encryption" "p" {
                  project_id = "%s"
                  local_key_config { enabled = true }
                }
                data "atrest_project_encryption" "read" {
                  project_id = "%s"
                }
                """.formatted(project, project), 1);

        assertThat(plan.output()).contains("Error: endpoint not known at plan", "endpoint = terraform_data.endpoint.output");
        assertNothingStored(project);
    }

    @Test
    void megabyteStrings_plan_failWithShortDiagnostics() throws Exception {
        Path dir = Files.createDirectories(workRoot.resolve("huge"));
        Files.writeString(dir.resolve("huge.txt"), "x".repeat(MEGABYTE));
        WorkingDirectory.Result plan = runIn(dir, "plan", """
                locals {
                  huge = file("${path.module}/huge.txt")
                }
                resource "atrest_project_encryption" "p" {
                  project_id = local.huge
                  local_key_config {
                    enabled = true
                    key_id  = local.huge
                  }
                }
                resource "atrest_cluster_encryption" "c" {
                  project_id                  = "ok"
                  cluster_name                = local.huge
                  encryption_at_rest_provider = local.huge
                }
                """, 4);

        assertThat(plan.output()).contains("Error: invalid project_id", "Error: invalid key_id",
                "Error: invalid cluster_name", "Error: unknown encryption_at_rest_provider")
                .contains("(" + MEGABYTE + " characters)");
        assertThat(plan.output().length()).as("tofu's output: the diagnostics quote a short excerpt").isLessThan(MEGABYTE);
    }

    /** Before the provider bounded these, four of them made a request the plugin's gRPC server refused whole. */
    @Test
    void megabyteAwsValues_apply_failOnTheAttributesAndStoreNothing() throws Exception {
        String project = project("huge-aws");
        Path dir = Files.createDirectories(workRoot.resolve("huge-aws"));
        Files.writeString(dir.resolve("huge.txt"), "k".repeat(MEGABYTE));
        WorkingDirectory.Result apply = runIn(dir, "apply", """
                locals {
                  huge = file("${path.module}/huge.txt")
                }
                resource "atrest_project_encryption" "p" {
                  project_id = "%s"
                  aws_kms_config {
                    enabled                = true
                    customer_master_key_id = local.huge
                    region                 = local.huge
                    access_key_id          = local.huge
                    secret_access_key      = local.huge
                  }
                }
                """.formatted(project), 4);

        assertThat(apply.output())
                .contains("Error: invalid customer_master_key_id", "customer_master_key_id = local.huge",
                        "customer_master_key_id must be at most 2048 characters; got " + MEGABYTE)
                .contains("Error: invalid region", "region                 = local.huge")
                .contains("Error: invalid access_key_id", "access_key_id          = local.huge")
                .contains("Error: invalid secret_access_key", "secret_access_key      = local.huge");
        assertThat(apply.output().length()).as("tofu's output").isLessThan(MEGABYTE);
        assertNothingStored(project);
    }

    private String project(String name) {
        return "bad-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private WorkingDirectory.Result run(String name, String command, String resources, int faults) throws Exception {
        return runIn(Files.createDirectories(workRoot.resolve(name)), command, resources, faults);
    }

    /**
     * Writes the configuration, runs {@code command} (plan or apply), and checks what every bad input must
     * give: exit 1 and no sign of a crash. {@code faults} is how many bad values the configuration holds.
     */
    private WorkingDirectory.Result runIn(Path dir, String command, String resources, int faults) throws Exception {
        Files.writeString(dir.resolve("main.tf"), HEADER + resources);
        WorkingDirectory tofu = new WorkingDirectory(Cli.OPENTOFU, dir, MIRROR, keyService, true);
        tally.trial();
        tally.faults(faults);
        WorkingDirectory.Result[] result = new WorkingDirectory.Result[1];
        tally.verify(dir.getFileName().toString(), () -> {
            expectExit(tofu.run("init", "-input=false"), 0);
            result[0] = command.equals("apply") ? tofu.run("apply", "-auto-approve", "-input=false")
                    : tofu.run("plan", "-input=false");
            expectExit(result[0], 1);
            assertThat(result[0].output()).as("tofu's output").doesNotContain(CRASH_SIGNS);
        });
        return result[0];
    }

    private void assertNothingStored(String project) throws Exception {
        tally.verify("nothing stored for " + project, () -> {
            try {
                ProjectEncryptionServiceGrpc.newBlockingStub(channel).getProjectEncryption(
                        GetProjectEncryptionRequest.newBuilder().setProjectId(project).build());
                throw new AssertionError("project " + project + " was stored from a refused configuration");
            } catch (StatusRuntimeException e) {
                assertThat(e.getStatus().getCode()).as(e.getMessage())
                        .isIn(Status.Code.NOT_FOUND, Status.Code.INVALID_ARGUMENT);
            }
        });
    }
}
