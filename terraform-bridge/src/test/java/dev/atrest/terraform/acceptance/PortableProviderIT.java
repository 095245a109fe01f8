package dev.atrest.terraform.acceptance;

import static dev.atrest.terraform.acceptance.Acceptance.KEY_SERVICE;
import static dev.atrest.terraform.acceptance.Acceptance.MIRROR;
import static dev.atrest.terraform.acceptance.Acceptance.expectExit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.GetProjectEncryptionRequest;
import dev.atrest.v1.ProjectEncryptionServiceGrpc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The provider as a user installs it, from copies outside the repository: the release zip in a packed
 * filesystem mirror through TF_PLUGIN_CACHE_DIR (the full lifecycle), the executable alone in an unpacked
 * mirror, and through dev_overrides; driven by OpenTofu and, when `terraform` is on the PATH, by HashiCorp
 * Terraform, against the packaged key service. Nothing of the repository is deleted; the commands see only
 * the copies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortableProviderIT {

    private static final String PROVIDER_PATH = "registry.terraform.io/atrest/atrest/0.1.0/linux_amd64";
    private static final String EXECUTABLE = "terraform-provider-atrest_v0.1.0";
    private static final String RELEASE_ZIP = "terraform-provider-atrest_0.1.0_linux_amd64.zip";
    private static final Path BUILT = MIRROR.resolve(PROVIDER_PATH).resolve(EXECUTABLE);
    private static final Path RELEASE = MIRROR.resolveSibling("release");

    private Path workRoot;
    private Path outside;
    private KeyServiceProcess keyService;

    @BeforeAll
    void startKeyService() throws Exception {
        Acceptance.requirePeers();
        workRoot = Acceptance.newWorkRoot();
        outside = Files.createTempDirectory("atrest-portable-");
        keyService = KeyServiceProcess.start(KEY_SERVICE, workRoot);
    }

    @AfterAll
    void stopKeyService() throws Exception {
        if (keyService != null) {
            keyService.close();
        }
        if (outside != null) {
            try (Stream<Path> files = Files.walk(outside)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /**
     * The release zip in a packed filesystem mirror outside the repository; TF_PLUGIN_CACHE_DIR makes the CLI
     * unpack it into the cache (a real copy: from an unpacked mirror it would link the cache to the mirror)
     * and link the working directory to the cache.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Cli.class)
    void releaseZip_throughPluginCache_fullLifecycleFromTheCopy(Cli cli) throws Exception {
        String name = cli.command;
        Path root = Files.createDirectories(outside.resolve(name + "-cache"));
        Path zip = RELEASE.resolve(RELEASE_ZIP);
        Files.copy(zip, Files.createDirectories(root.resolve("mirror/registry.terraform.io/atrest/atrest")).resolve(RELEASE_ZIP));
        Path pluginCache = Files.createDirectories(root.resolve("plugin-cache"));
        String project = "portable-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path work = Acceptance.copyExample("local", workRoot, project);
        WorkingDirectory workingDir = new WorkingDirectory(cli, work, root.resolve("mirror"), keyService, true)
                .withEnvironment("TF_PLUGIN_CACHE_DIR", pluginCache.toString())
                .withEnvironment("XDG_CACHE_HOME", root.resolve("xdg").toString());
        String projectVar = "-var=project_id=" + project;

        expectExit(workingDir.run("init", "-input=false"), 0);
        expectExit(workingDir.run("apply", "-auto-approve", "-input=false", projectVar), 0);
        assertThat(projectProvider(project)).isEqualTo(EncryptionAtRestProvider.LOCAL);
        expectExit(workingDir.run("plan", "-detailed-exitcode", "-input=false", projectVar), 0);
        expectExit(workingDir.run("destroy", "-auto-approve", "-input=false", projectVar), 0);
        assertThat(projectProvider(project)).isEqualTo(EncryptionAtRestProvider.NONE);

        Path cached = pluginCache.resolve(PROVIDER_PATH);
        assertThat(Files.isSymbolicLink(cached)).as("unpacked into the plugin cache, not linked").isFalse();
        assertThat(Files.mismatch(cached.resolve(EXECUTABLE), BUILT)).isEqualTo(-1L);
        assertThat(work.resolve(".terraform/providers").resolve(PROVIDER_PATH).toRealPath())
                .as("the working directory runs the cached copy").isEqualTo(cached.toRealPath());
        assertThat(Files.readString(work.resolve(".terraform.lock.hcl"))).as("the zip's contents, hashed by the CLI")
                .contains(h1(BUILT));
        assertThat(Files.readString(workingDir.log())).as("no command touched the build's provider")
                .doesNotContain(MIRROR.toString(), RELEASE.toString(), "provider-lib");
        assertThat(sha256SumsEntry(zip)).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(zip))));
    }

    /** The executable alone, copied into an unpacked filesystem mirror outside the repository. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Cli.class)
    void copiedProvider_inUnpackedMirrorWithPluginCache_initsAndValidates(Cli cli) throws Exception {
        String name = cli.command;
        Path root = Files.createDirectories(outside.resolve(name + "-unpacked"));
        Path mirror = root.resolve("mirror");
        Files.copy(BUILT, Files.createDirectories(mirror.resolve(PROVIDER_PATH)).resolve(EXECUTABLE));
        Path work = Acceptance.copyExample("local", workRoot, "unpacked-" + name);
        WorkingDirectory workingDir = new WorkingDirectory(cli, work, mirror, keyService, true)
                .withEnvironment("TF_PLUGIN_CACHE_DIR", Files.createDirectories(root.resolve("plugin-cache")).toString())
                .withEnvironment("XDG_CACHE_HOME", root.resolve("xdg").toString());

        expectExit(workingDir.run("init", "-input=false"), 0);
        expectExit(workingDir.run("validate"), 0);

        assertThat(work.resolve(".terraform/providers").resolve(PROVIDER_PATH).resolve(EXECUTABLE).toRealPath())
                .startsWith(root.toRealPath());
        assertThat(Files.readString(work.resolve(".terraform.lock.hcl"))).contains(h1(BUILT));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Cli.class)
    void copiedProvider_devOverrides_validatesWithoutInit(Cli cli) throws Exception {
        String name = cli.command;
        Path directory = Files.createDirectories(outside.resolve(name + "-override"));
        Files.copy(BUILT, directory.resolve(EXECUTABLE));
        Path work = Acceptance.copyExample("local", workRoot, "override-" + name);
        Path cliConfig = Files.writeString(work.resolve("override.tfrc"), """
                provider_installation {
                  dev_overrides {
                    "registry.terraform.io/atrest/atrest" = "%s"
                  }
                  direct {}
                }
                """.formatted(directory));
        WorkingDirectory workingDir = new WorkingDirectory(cli, work, MIRROR, keyService, true)
                .withEnvironment("TF_CLI_CONFIG_FILE", cliConfig.toString())
                .withEnvironment("XDG_CACHE_HOME", directory.resolve("xdg").toString());

        WorkingDirectory.Result validate = workingDir.run("validate");

        expectExit(validate, 0);
        assertThat(validate.output()).contains("Provider development overrides are in effect");
    }

    private EncryptionAtRestProvider projectProvider(String project) throws IOException {
        return ProjectEncryptionServiceGrpc.newBlockingStub(keyService.adminChannel())
                .getProjectEncryption(GetProjectEncryptionRequest.newBuilder().setProjectId(project).build())
                .getProvider();
    }

    /**
     * The "h1:" hash the CLIs record for an installed package (Go's dirhash.Hash1): SHA-256 over the lines
     * "hex SHA-256, two spaces, file name" of its files; here the one executable.
     */
    private static String h1(Path executable) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        String summary = HexFormat.of().formatHex(sha256.digest(Files.readAllBytes(executable))) + "  " + EXECUTABLE + "\n";
        return "h1:" + Base64.getEncoder().encodeToString(sha256.digest(summary.getBytes(StandardCharsets.UTF_8)));
    }

    /** The zip's line in the release's SHA256SUMS (`sha256sum` format). */
    private static String sha256SumsEntry(Path zip) throws IOException {
        Path sums = zip.resolveSibling("terraform-provider-atrest_0.1.0_SHA256SUMS");
        return Files.readAllLines(sums).stream().filter(line -> line.endsWith("  " + RELEASE_ZIP))
                .map(line -> line.substring(0, 64)).findFirst()
                .orElseThrow(() -> new AssertionError(RELEASE_ZIP + " not listed in " + sums));
    }
}
