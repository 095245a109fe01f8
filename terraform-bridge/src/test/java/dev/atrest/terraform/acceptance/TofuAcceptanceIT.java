package dev.atrest.terraform.acceptance;

import static dev.atrest.terraform.acceptance.Acceptance.KEY_SERVICE;
import static dev.atrest.terraform.acceptance.Acceptance.MIRROR;
import static dev.atrest.terraform.acceptance.Acceptance.expectExit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.v1.ClusterEncryptionServiceGrpc;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ProjectEncryptionServiceGrpc;
import dev.atrest.v1.SetClusterEncryptionRequest;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The provider driven by a real OpenTofu against a real key service, through examples/terraform/local:
 * create, no-change plan, in-place root-key change, import, drift, destroy; once over plugin mTLS (the
 * default), once with TF_DISABLE_PLUGIN_TLS=1, and over mTLS with HashiCorp Terraform too where it is on PATH
 * (no other Terraform run covers an in-place update, the import command or drift; the diagnostics below do not
 * depend on the CLI, so they run with OpenTofu alone). The provider acts as the service's bootstrap ADMIN
 * (ATREST_TOKEN), and without a valid token gets a diagnostic, not a crash. Needs {@code scripts/test-peers/install-tofu.sh} and a
 * packaged key service; runs in {@code mvn -pl terraform-bridge verify} (failsafe), skip with -DskipITs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TofuAcceptanceIT {

    private Path workRoot;
    private KeyServiceProcess keyService;
    private ManagedChannel channel;

    @BeforeAll
    void startKeyService() throws Exception {
        Acceptance.requirePeers();
        workRoot = Acceptance.newWorkRoot();
        keyService = KeyServiceProcess.start(KEY_SERVICE, workRoot);
        channel = keyService.adminChannel();
    }

    @AfterAll
    void stopKeyService() throws Exception {
        if (keyService != null) {
            keyService.close(); // and the admin channel
        }
    }

    static Stream<Arguments> cliAndPluginTls() {
        return Stream.of(Arguments.of(Cli.OPENTOFU, true), Arguments.of(Cli.OPENTOFU, false),
                Arguments.of(Cli.TERRAFORM, true));
    }

    @ParameterizedTest(name = "{0}, plugin TLS {1}")
    @MethodSource("cliAndPluginTls")
    void localExample_fullLifecycle_convergesAndCleansUp(Cli cli, boolean pluginTls) throws Exception {
        String project = "acc-" + cli.command + "-" + (pluginTls ? "mtls" : "plain") + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        WorkingDirectory dir = new WorkingDirectory(cli, Acceptance.copyExample("local", workRoot, project),
                MIRROR, keyService, pluginTls);
        String projectVar = "-var=project_id=" + project;

        expectExit(dir.run("init", "-input=false"), 0);
        expectExit(dir.run("apply", "-auto-approve", "-input=false", projectVar), 0);
        expectExit(dir.run("plan", "-detailed-exitcode", "-input=false", projectVar), 0);

        // In-place root-key change: another LOCAL key, no replacement.
        WorkingDirectory.Result rotate = dir.run("plan", "-detailed-exitcode", "-input=false", projectVar,
                "-var=local_key_id=rotated");
        expectExit(rotate, 2);
        assertThat(rotate.output()).contains("1 to change, 0 to destroy");
        expectExit(dir.run("apply", "-auto-approve", "-input=false", projectVar, "-var=local_key_id=rotated"), 0);
        expectExit(dir.run("plan", "-detailed-exitcode", "-input=false", projectVar, "-var=local_key_id=rotated"), 0);

        // Import: forget both resources, import them, and the next plan has nothing to do.
        expectExit(dir.run("state", "rm", "atrest_cluster_encryption.orders", "atrest_project_encryption.demo"), 0);
        expectExit(dir.run("import", "-input=false", projectVar, "-var=local_key_id=rotated",
                "atrest_project_encryption.demo", project), 0);
        expectExit(dir.run("import", "-input=false", projectVar, "-var=local_key_id=rotated",
                "atrest_cluster_encryption.orders", project + "/orders"), 0);
        expectExit(dir.run("plan", "-detailed-exitcode", "-input=false", projectVar, "-var=local_key_id=rotated"), 0);

        // Drift: disable the cluster behind Terraform's back; the plan shows it and apply corrects it.
        ClusterEncryptionServiceGrpc.newBlockingStub(channel).setClusterEncryption(SetClusterEncryptionRequest
                .newBuilder().setProjectId(project).setClusterName("orders")
                .setEncryptionAtRestProvider(EncryptionAtRestProvider.NONE).build());
        WorkingDirectory.Result drift = dir.run("plan", "-detailed-exitcode", "-input=false", projectVar,
                "-var=local_key_id=rotated");
        expectExit(drift, 2);
        assertThat(drift.output()).contains("encryption_at_rest_provider = \"NONE\" -> \"LOCAL\"");
        expectExit(dir.run("apply", "-auto-approve", "-input=false", projectVar, "-var=local_key_id=rotated"), 0);
        expectExit(dir.run("plan", "-detailed-exitcode", "-input=false", projectVar, "-var=local_key_id=rotated"), 0);

        // Destroy walks the graph: the cluster first, then the project (which the service would refuse otherwise).
        expectExit(dir.run("destroy", "-auto-approve", "-input=false", projectVar, "-var=local_key_id=rotated"), 0);
        assertThat(ProjectEncryptionServiceGrpc.newBlockingStub(channel)
                .getProjectEncryption(GetProjectEncryptionRequest.newBuilder().setProjectId(project).build())
                .getProvider()).isEqualTo(EncryptionAtRestProvider.NONE);
    }

    @ParameterizedTest(name = "plugin TLS {0}")
    @ValueSource(booleans = {true, false})
    void badConfiguration_plan_failsWithDiagnosticsOnTheAttributes(boolean pluginTls) throws Exception {
        Path dir = Files.createDirectories(workRoot.resolve("bad-" + pluginTls));
        Files.writeString(dir.resolve("main.tf"), """
                terraform {
                  required_providers {
                    atrest = { source = "registry.terraform.io/atrest/atrest" }
                  }
                }
                resource "atrest_project_encryption" "empty_id" {
                  project_id = ""
                  local_key_config { enabled = true }
                }
                resource "atrest_project_encryption" "two_credentials" {
                  project_id = "p1"
                  aws_kms_config {
                    enabled                = true
                    customer_master_key_id = "arn:aws:kms:us-east-1:111122223333:key/k"
                    region                 = "us-east-1"
                    role_arn               = "arn:aws:iam::111122223333:role/atrest"
                    access_key_id          = "AKIAEXAMPLE"
                    secret_access_key      = "do-not-print"
                  }
                }
                resource "atrest_cluster_encryption" "unknown_provider" {
                  project_id                  = "p1"
                  cluster_name                = "c1"
                  encryption_at_rest_provider = "GCP"
                }
                """);
        WorkingDirectory tofu = new WorkingDirectory(Cli.OPENTOFU, dir, MIRROR, keyService, pluginTls);
        expectExit(tofu.run("init", "-input=false"), 0);

        WorkingDirectory.Result plan = tofu.run("plan", "-input=false");

        expectExit(plan, 1);
        assertThat(plan.output())
                .contains("Error: empty project_id", "project_id = \"\"")
                .contains("Error: conflicting AWS credentials", "role_arn               = \"arn:aws:iam::111122223333:role/atrest\"")
                .contains("Error: unknown encryption_at_rest_provider", "encryption_at_rest_provider = \"GCP\"");
    }

    @ParameterizedTest(name = "token {0}")
    @ValueSource(strings = {"missing", "wrong"})
    void localExample_withoutValidToken_failsWithCredentialsDiagnosticAndStoresNothing(String token)
            throws Exception {
        String project = "acc-token-" + token + "-" + UUID.randomUUID().toString().substring(0, 8);
        WorkingDirectory tofu = new WorkingDirectory(Cli.OPENTOFU, Acceptance.copyExample("local", workRoot, project),
                MIRROR, keyService, true)
                .withToken(token.equals("missing") ? null : "atrest_" + "x".repeat(43));
        expectExit(tofu.run("init", "-input=false"), 0);

        WorkingDirectory.Result apply = tofu.run("apply", "-auto-approve", "-input=false",
                "-var=project_id=" + project);

        expectExit(apply, 1);
        assertThat(apply.output())
                .contains("Error: cannot enable encryption of project " + project)
                .contains("did not accept the provider's credentials", "ATREST_TOKEN")
                .doesNotContain("plugin crashed", "panic");
        assertThatThrownBy(() -> ProjectEncryptionServiceGrpc.newBlockingStub(channel)
                .getProjectEncryption(GetProjectEncryptionRequest.newBuilder().setProjectId(project).build()))
                .hasMessageContaining("NOT_FOUND");
    }
}
