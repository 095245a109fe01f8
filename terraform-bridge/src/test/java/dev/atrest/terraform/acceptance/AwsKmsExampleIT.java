package dev.atrest.terraform.acceptance;

import static dev.atrest.terraform.acceptance.Acceptance.KEY_SERVICE;
import static dev.atrest.terraform.acceptance.Acceptance.MIRROR;
import static dev.atrest.terraform.acceptance.Acceptance.MOTO_SERVER;
import static dev.atrest.terraform.acceptance.Acceptance.expectExit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.v1.ClusterEncryption;
import dev.atrest.v1.ClusterEncryptionServiceGrpc;
import dev.atrest.v1.ClusterEncryptionState;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetClusterEncryptionRequest;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ListClusterKeysRequest;
import dev.atrest.v1.MasterKeyVersion;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.ProjectEncryptionServiceGrpc;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/**
 * examples/terraform/aws-kms driven by a real OpenTofu against a real key service whose KMS and STS are
 * moto's ({@code atrest.aws.endpoint-override}): with an assumed role (apply, no-change plan, in-place CMK
 * change, destroy) and with static keys, whose secret must reach the state file and nothing else.
 * Needs {@code scripts/test-peers/install.sh}; without moto it fails rather than skips.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AwsKmsExampleIT {

    private static final String REGION = "us-east-1";
    private static final String ACCOUNT = "123456789012"; // moto's default account
    private static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/atrest-kms";
    private static final String EXTERNAL_ID = "atrest-acceptance";
    private static final String[] CLUSTERS = {"orders", "ledger"}; // the example's default cluster_names

    private Path workRoot;
    private MotoServer moto;
    private KmsClient kms;
    private KeyServiceProcess keyService;
    private ManagedChannel channel;

    @BeforeAll
    void startPeers() throws Exception {
        Acceptance.requirePeers();
        workRoot = Acceptance.newWorkRoot();
        moto = MotoServer.start(MOTO_SERVER, workRoot);
        kms = KmsClient.builder()
                .endpointOverride(moto.endpoint())
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "anything")))
                .build();
        // The service's own credentials, which it uses to call STS AssumeRole; moto accepts any.
        keyService = KeyServiceProcess.start(KEY_SERVICE, workRoot, List.of(
                "-Datrest.aws.endpoint-override=" + moto.endpoint(),
                "-Daws.accessKeyId=AKIAIOSFODNN7EXAMPLE",
                "-Daws.secretAccessKey=anything"));
        channel = keyService.adminChannel();
    }

    @AfterAll
    void stopPeers() throws Exception {
        if (keyService != null) {
            keyService.close(); // and the admin channel
        }
        if (kms != null) {
            kms.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void roleExample_fullLifecycle_wrapsUnderTheCmkAndConverges() throws Exception {
        String project = "aws-role-" + shortId();
        KeyMetadata first = createCmk("first CMK of " + project);
        String alias = "alias/" + project;
        kms.createAlias(r -> r.aliasName(alias).targetKeyId(first.keyId()));
        String aliasArn = "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":" + alias;

        WorkingDirectory tofu = new WorkingDirectory(Cli.OPENTOFU, Acceptance.copyExample("aws-kms", workRoot, project),
                MIRROR, keyService, true);
        expectExit(tofu.run("init", "-input=false"), 0);

        // The CMK named by its alias ARN; the service records the key ARN KMS resolves it to.
        String[] vars = roleVars(project, aliasArn);
        expectExit(tofu.run(args("apply", vars, "-auto-approve")), 0);
        assertEncryptedUnder(project, first.arn());
        WorkingDirectory.Result valid = tofu.run("output", "-raw", "cmk_valid");
        expectExit(valid, 0);
        assertThat(valid.output().strip()).isEqualTo("true");
        expectExit(tofu.run(args("plan", vars, "-detailed-exitcode")), 0);

        // In-place CMK change to a second key (by key ARN): every master key is re-wrapped under it.
        KeyMetadata second = createCmk("second CMK of " + project);
        String[] rotated = roleVars(project, second.arn());
        WorkingDirectory.Result rotate = tofu.run(args("apply", rotated, "-auto-approve"));
        expectExit(rotate, 0);
        assertThat(rotate.output()).contains("Resources: 0 added, 1 changed, 0 destroyed");
        assertEncryptedUnder(project, second.arn());
        expectExit(tofu.run(args("plan", rotated, "-detailed-exitcode")), 0);

        expectExit(tofu.run(args("destroy", rotated, "-auto-approve")), 0);
        assertThat(projects().getProjectEncryption(GetProjectEncryptionRequest.newBuilder().setProjectId(project).build())
                .getProvider()).isEqualTo(EncryptionAtRestProvider.NONE);
    }

    @Test
    void staticKeys_secretReachesTheStateFileOnly() throws Exception {
        String project = "aws-static-" + shortId();
        KeyMetadata cmk = createCmk("CMK of " + project);
        String secret = LeakCanaries.remembered(LeakCanaries.TERRAFORM_INPUT + "secret_access_key",
                "acc-secret-" + UUID.randomUUID());

        // The example's README: replace role_arn / external_id with access_key_id and secret_access_key.
        Path dir = Acceptance.copyExample("aws-kms", workRoot, project);
        Path main = dir.resolve("main.tf");
        String roleLines = """
                    role_arn               = var.role_arn
                    external_id            = var.external_id
                """;
        String source = Files.readString(main);
        assertThat(source).as("examples/terraform/aws-kms/main.tf passes the role like this").contains(roleLines);
        Files.writeString(main, source.replace(roleLines, """
                    access_key_id          = var.access_key_id
                    secret_access_key      = var.secret_access_key
                """));
        Files.writeString(dir.resolve("static_keys.tf"), """
                variable "access_key_id" {
                  type      = string
                  sensitive = true
                }

                variable "secret_access_key" {
                  type      = string
                  sensitive = true
                }
                """);
        // From a file rather than -var: OpenTofu logs its command line.
        Files.writeString(dir.resolve("credentials.auto.tfvars"), """
                access_key_id     = "AKIAI44QH8DHBEXAMPLE"
                secret_access_key = "%s"
                """.formatted(secret));
        String[] vars = {
            "-var=key_service_endpoint=" + keyService.endpoint(),
            "-var=project_id=" + project,
            "-var=cmk_arn=" + cmk.arn(),
            "-var=region=" + REGION,
        };

        WorkingDirectory tofu = new WorkingDirectory(Cli.OPENTOFU, dir, MIRROR, keyService, true);
        expectExit(tofu.run("init", "-input=false"), 0);
        WorkingDirectory.Result apply = tofu.run(args("apply", vars, "-auto-approve"));
        expectExit(apply, 0);
        assertEncryptedUnder(project, cmk.arn());
        ProjectEncryption stored = projects().getProjectEncryption(
                GetProjectEncryptionRequest.newBuilder().setProjectId(project).build());
        assertThat(stored.getAwsKms().getAccessKeyId()).isEqualTo("AKIAI44QH8DHBEXAMPLE");
        assertThat(stored.getAwsKms().getSecretAccessKey()).as("the service never returns the secret").isEmpty();

        WorkingDirectory.Result showJson = tofu.run("show", "-json");
        expectExit(showJson, 0);
        JsonNode document = JsonNode.parser().parse(showJson.output());
        JsonNode managed = managedResource(document, "atrest_project_encryption");
        assertThat(managed.field("sensitive_values").flatMap(s -> s.field("aws_kms_config"))
                .flatMap(c -> c.field("secret_access_key")).map(JsonNode::asBoolean))
                .as("secret_access_key is marked sensitive in tofu show -json").contains(true);
        List<String> visible = new ArrayList<>();
        collectNonSensitive(document, null, visible);
        assertThat(visible).as("non-sensitive values of tofu show -json").isNotEmpty()
                .noneMatch(value -> value.contains(secret));

        WorkingDirectory.Result show = tofu.run("show");
        expectExit(show, 0);
        assertThat(show.output()).contains("secret_access_key").doesNotContain(secret);
        assertThat(apply.output()).doesNotContain(secret);
        assertThat(Files.readString(dir.resolve("tofu.log"))).as("TF_LOG=DEBUG log, the provider's stderr included")
                .contains("terraform-provider-atrest").doesNotContain(secret);
        assertThat(Files.readString(keyService.log)).as("key service log").doesNotContain(secret);
        // Expected and documented in the example's README: Terraform keeps it in state.
        assertThat(Files.readString(dir.resolve("terraform.tfstate"))).contains(secret);

        // The secret is never read back, so it causes no perpetual diff.
        expectExit(tofu.run(args("plan", vars, "-detailed-exitcode")), 0);
        expectExit(tofu.run(args("destroy", vars, "-auto-approve")), 0);
        assertThat(Files.readString(dir.resolve("tofu.log"))).doesNotContain(secret);
        assertThat(Files.readString(keyService.log)).doesNotContain(secret);
    }

    private KeyMetadata createCmk(String description) {
        // KeyUsage explicitly: moto leaves it out of the metadata otherwise.
        return kms.createKey(r -> r.description(description)
                .keyUsage(KeyUsageType.ENCRYPT_DECRYPT)
                .keySpec(KeySpec.SYMMETRIC_DEFAULT)).keyMetadata();
    }

    private String[] roleVars(String project, String cmk) {
        return new String[] {
            "-var=key_service_endpoint=" + keyService.endpoint(),
            "-var=project_id=" + project,
            "-var=cmk_arn=" + cmk,
            "-var=region=" + REGION,
            "-var=role_arn=" + ROLE_ARN,
            "-var=external_id=" + EXTERNAL_ID,
        };
    }

    /** The project is valid on AWS and each cluster encrypted, its current master key wrapped by {@code keyArn}. */
    private void assertEncryptedUnder(String project, String keyArn) {
        ProjectEncryption encryption = projects().getProjectEncryption(
                GetProjectEncryptionRequest.newBuilder().setProjectId(project).build());
        assertThat(encryption.getProvider()).isEqualTo(EncryptionAtRestProvider.AWS);
        assertThat(encryption.getValid()).as("valid; validation error: %s", encryption.getValidationError()).isTrue();
        var clusters = ClusterEncryptionServiceGrpc.newBlockingStub(channel);
        for (String name : CLUSTERS) {
            ClusterEncryption cluster = clusters.getClusterEncryption(
                    GetClusterEncryptionRequest.newBuilder().setProjectId(project).setClusterName(name).build());
            assertThat(cluster.getEncryptionAtRestProvider()).as(name).isEqualTo(EncryptionAtRestProvider.AWS);
            assertThat(cluster.getState()).as(name).isEqualTo(ClusterEncryptionState.CLUSTER_ENCRYPTION_STATE_ENABLED);
            List<MasterKeyVersion> versions = clusters.listClusterKeys(ListClusterKeysRequest.newBuilder()
                    .setProjectId(project).setClusterName(name).build()).getMasterKeyVersionsList();
            assertThat(versions).as("master keys of %s", name)
                    .filteredOn(version -> version.getVersion() == cluster.getMasterKeyVersion())
                    .singleElement()
                    .satisfies(current -> {
                        assertThat(current.getProvider()).isEqualTo(EncryptionAtRestProvider.AWS);
                        assertThat(current.getWrappingKeyId()).isEqualTo(keyArn);
                    });
        }
    }

    private ProjectEncryptionServiceGrpc.ProjectEncryptionServiceBlockingStub projects() {
        return ProjectEncryptionServiceGrpc.newBlockingStub(channel);
    }

    /** The managed resource of {@code type} in the root module of a {@code tofu show -json} document. */
    private static JsonNode managedResource(JsonNode document, String type) {
        return document.field("values").flatMap(v -> v.field("root_module")).flatMap(m -> m.field("resources"))
                .map(JsonNode::asArray).orElseThrow().stream()
                .filter(r -> r.field("mode").map(JsonNode::asString).orElse("").equals("managed"))
                .filter(r -> r.field("type").map(JsonNode::asString).orElse("").equals(type))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type + " in tofu show -json"));
    }

    /**
     * Every scalar of {@code node} that tofu does not mark sensitive: {@code sensitive_values} masks the
     * {@code values} beside it, and outputs with {@code "sensitive": true} hide their {@code value}.
     */
    private static void collectNonSensitive(JsonNode node, JsonNode mask, List<String> into) {
        if (mask != null && mask.isBoolean() && mask.asBoolean()) {
            return;
        }
        if (node.isObject()) {
            Map<String, JsonNode> fields = node.asObject();
            JsonNode sensitiveValues = fields.get("sensitive_values");
            boolean sensitiveOutput = fields.containsKey("sensitive")
                    && fields.get("sensitive").isBoolean() && fields.get("sensitive").asBoolean();
            for (Map.Entry<String, JsonNode> field : fields.entrySet()) {
                String key = field.getKey();
                if (key.equals("value") && sensitiveOutput) {
                    continue;
                }
                JsonNode childMask = mask != null && mask.isObject() ? mask.asObject().get(key) : null;
                if (key.equals("values") && sensitiveValues != null) {
                    childMask = sensitiveValues;
                }
                collectNonSensitive(field.getValue(), childMask, into);
            }
        } else if (node.isArray()) {
            List<JsonNode> elements = node.asArray();
            List<JsonNode> masks = mask != null && mask.isArray() ? mask.asArray() : List.of();
            for (int i = 0; i < elements.size(); i++) {
                collectNonSensitive(elements.get(i), i < masks.size() ? masks.get(i) : null, into);
            }
        } else if (node.isString()) {
            into.add(node.asString());
        } else if (node.isNumber()) {
            into.add(node.asNumber());
        }
    }

    private static String[] args(String command, String[] vars, String... more) {
        List<String> all = new ArrayList<>(List.of(command, "-input=false"));
        all.addAll(List.of(vars));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
