package dev.atrest.terraform.acceptance;

import static dev.atrest.terraform.acceptance.Acceptance.KEY_SERVICE;
import static dev.atrest.terraform.acceptance.Acceptance.MIRROR;
import static dev.atrest.terraform.acceptance.Acceptance.expectExit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import dev.atrest.testsupport.Awaits;
import dev.atrest.v1.ClusterEncryption;
import dev.atrest.v1.ClusterEncryptionServiceGrpc;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetClusterEncryptionRequest;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ProjectEncryptionServiceGrpc;
import dev.atrest.v1.RotateMasterKeyRequest;
import dev.atrest.v1.SetClusterEncryptionRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The rotation settings ({@code rotation_period_days}, {@code cmk_rotation_alert_days}) through
 * examples/terraform/local with a real OpenTofu and key service: set on create, changed in place, no diff
 * after apply or after the service changes what it owns (a rotation, a period left to it), and out-of-rule values stopped at plan with a
 * diagnostic on the attribute; and {@code data.atrest_alerts}. Needs the same peers as {@link TofuAcceptanceIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RotationAndAlertsIT {

    /** A second cluster that leaves its period to the service, next to the example's "orders". */
    private static final String LEDGER = """
            resource "atrest_cluster_encryption" "ledger" {
              project_id                  = atrest_project_encryption.demo.project_id
              cluster_name                = "ledger"
              encryption_at_rest_provider = "LOCAL"
            }
            """;

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

    @Test
    void rotationSettings_createChangeInPlace_convergeWithoutReplacement() throws Exception {
        String project = "rot-" + UUID.randomUUID().toString().substring(0, 8);
        Path dir = Acceptance.copyExample("local", workRoot, project);
        Files.writeString(dir.resolve("ledger.tf"), LEDGER);
        WorkingDirectory tofu = new WorkingDirectory(Cli.OPENTOFU, dir, MIRROR, keyService, true);
        String[] created = {"-input=false", "-var=project_id=" + project, "-var=cmk_rotation_alert_days=200",
                "-var=rotation_period_days=30"};
        String[] changed = {"-input=false", "-var=project_id=" + project, "-var=cmk_rotation_alert_days=100",
                "-var=rotation_period_days=7"};

        expectExit(tofu.run("init", "-input=false"), 0);
        expectExit(tofu.run(command(created, "apply", "-auto-approve")), 0);
        assertThat(alertDays(project)).isEqualTo(200);
        assertThat(cluster(project, "orders").getRotationPeriodDays()).isEqualTo(30);
        assertThat(cluster(project, "ledger").getRotationPeriodDays()).isEqualTo(90);
        expectExit(tofu.run(command(created, "plan", "-detailed-exitcode")), 0);

        WorkingDirectory.Result change = tofu.run(command(changed, "plan", "-detailed-exitcode"));
        expectExit(change, 2);
        assertThat(change.output()).contains("0 to add, 2 to change, 0 to destroy")
                .containsPattern("rotation_period_days += 30 -> 7")
                .containsPattern("cmk_rotation_alert_days += 200 -> 100")
                .doesNotContain("must be replaced", "forces replacement");
        expectExit(tofu.run(command(changed, "apply", "-auto-approve")), 0);
        assertThat(alertDays(project)).isEqualTo(100);
        assertThat(cluster(project, "orders").getRotationPeriodDays()).isEqualTo(7);
        expectExit(tofu.run(command(changed, "plan", "-detailed-exitcode")), 0);

        // The service changes what it owns: ledger's period (left to it by the configuration, and with it the
        // next rotation time) and, by rotating, orders' master-key version and rotation times. Refreshed into
        // state, never a diff.
        ClusterEncryptionServiceGrpc.ClusterEncryptionServiceBlockingStub clusters =
                ClusterEncryptionServiceGrpc.newBlockingStub(channel);
        clusters.setClusterEncryption(SetClusterEncryptionRequest.newBuilder().setProjectId(project)
                .setClusterName("ledger").setEncryptionAtRestProvider(EncryptionAtRestProvider.LOCAL)
                .setRotationPeriodDays(45).build());
        clusters.rotateMasterKey(RotateMasterKeyRequest.newBuilder().setProjectId(project).setClusterName("orders").build());
        Awaits.rotationFinished(() -> ClusterEncryptionServiceGrpc.newBlockingStub(channel), project, "orders");
        // The example's outputs show the new version and time, which is a change to outputs only.
        WorkingDirectory.Result afterRotation = tofu.run(command(changed, "plan", "-detailed-exitcode"));
        expectExit(afterRotation, 2);
        assertThat(afterRotation.output()).contains("without changing any real infrastructure")
                .doesNotContain("Plan:", "will be updated in-place");
        expectExit(tofu.run(command(changed, "apply", "-refresh-only", "-auto-approve")), 0);
        assertThat(tofu.run("state", "show", "atrest_cluster_encryption.ledger").output())
                .containsPattern("rotation_period_days += 45")
                .containsPattern("next_rotation_time += \"" + time(cluster(project, "ledger").getNextRotationTime()) + "\"");
        assertThat(tofu.run("state", "show", "atrest_cluster_encryption.orders").output())
                .containsPattern("master_key_version += 2")
                .containsPattern("last_rotation_time += \"" + time(cluster(project, "orders").getLastRotationTime()) + "\"");
        expectExit(tofu.run(command(changed, "plan", "-detailed-exitcode")), 0);

        // An out-of-rule change stops at plan: the service keeps what it had.
        WorkingDirectory.Result invalid = tofu.run("apply", "-auto-approve", "-input=false",
                "-var=project_id=" + project, "-var=cmk_rotation_alert_days=100", "-var=rotation_period_days=0");
        expectExit(invalid, 1);
        assertThat(invalid.output()).contains("Error: invalid rotation_period_days",
                "rotation_period_days must be at least 1 day; got 0", "rotation_period_days = var.rotation_period_days");
        assertThat(cluster(project, "orders").getRotationPeriodDays()).isEqualTo(7);

        expectExit(tofu.run(command(changed, "destroy", "-auto-approve")), 0);
    }

    @Test
    void outOfRuleDays_onCreate_diagnosticsOnBothAttributesAndNothingStored() throws Exception {
        String project = "rot-bad-" + UUID.randomUUID().toString().substring(0, 8);
        WorkingDirectory tofu = new WorkingDirectory(Cli.OPENTOFU, Acceptance.copyExample("local", workRoot, project),
                MIRROR, keyService, true);
        expectExit(tofu.run("init", "-input=false"), 0);

        // The cluster refers to the project, so OpenTofu plans it only once the project plans: one error per run.
        WorkingDirectory.Result badProject = tofu.run("apply", "-auto-approve", "-input=false",
                "-var=project_id=" + project, "-var=cmk_rotation_alert_days=0", "-var=rotation_period_days=-3");
        WorkingDirectory.Result badCluster = tofu.run("apply", "-auto-approve", "-input=false",
                "-var=project_id=" + project, "-var=cmk_rotation_alert_days=10", "-var=rotation_period_days=-3");

        expectExit(badProject, 1);
        assertThat(badProject.output()).contains("Error: invalid cmk_rotation_alert_days",
                "cmk_rotation_alert_days = var.cmk_rotation_alert_days", "cmk_rotation_alert_days must be at least 1 day; got 0");
        expectExit(badCluster, 1);
        assertThat(badCluster.output()).contains("Error: invalid rotation_period_days",
                "rotation_period_days = var.rotation_period_days", "rotation_period_days must be at least 1 day; got -3");
        assertThatThrownBy(() -> alertDays(project)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void alertsDataSource_projectJustEnabled_readsNoAlertsAndPlansClean() throws Exception {
        String project = "alerts-" + UUID.randomUUID().toString().substring(0, 8);
        Path dir = Files.createDirectories(workRoot.resolve(project));
        Files.writeString(dir.resolve("main.tf"), """
                terraform {
                  required_providers {
                    atrest = { source = "registry.terraform.io/atrest/atrest" }
                  }
                }
                resource "atrest_project_encryption" "p" {
                  project_id = "%s"
                  local_key_config { enabled = true }
                }
                data "atrest_alerts" "all" {
                  project_id = atrest_project_encryption.p.project_id
                }
                data "atrest_alerts" "open" {
                  project_id = atrest_project_encryption.p.project_id
                  open_only  = true
                }
                output "alert_count" { value = length(data.atrest_alerts.all.alerts) }
                output "open_alert_count" { value = length(data.atrest_alerts.open.alerts) }
                """.formatted(project));
        WorkingDirectory tofu = new WorkingDirectory(Cli.OPENTOFU, dir, MIRROR, keyService, true);
        expectExit(tofu.run("init", "-input=false"), 0);

        expectExit(tofu.run("apply", "-auto-approve", "-input=false"), 0);

        assertThat(tofu.run("output", "-raw", "alert_count").output().strip()).isEqualTo("0");
        assertThat(tofu.run("output", "-raw", "open_alert_count").output().strip()).isEqualTo("0");
        expectExit(tofu.run("plan", "-detailed-exitcode", "-input=false"), 0);
        expectExit(tofu.run("destroy", "-auto-approve", "-input=false"), 0);
    }

    private static String time(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds()).toString();
    }

    private int alertDays(String project) {
        return ProjectEncryptionServiceGrpc.newBlockingStub(channel).getProjectEncryption(
                GetProjectEncryptionRequest.newBuilder().setProjectId(project).build()).getCmkRotationAlertDays();
    }

    private ClusterEncryption cluster(String project, String cluster) {
        return ClusterEncryptionServiceGrpc.newBlockingStub(channel).getClusterEncryption(
                GetClusterEncryptionRequest.newBuilder().setProjectId(project).setClusterName(cluster).build());
    }

    /** {@code words} then the variables: e.g. command(vars, "plan", "-detailed-exitcode"). */
    private static String[] command(String[] variables, String... words) {
        String[] all = Arrays.copyOf(words, words.length + variables.length);
        System.arraycopy(variables, 0, all, words.length, variables.length);
        return all;
    }
}
