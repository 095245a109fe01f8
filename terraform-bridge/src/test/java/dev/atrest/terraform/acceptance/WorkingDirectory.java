package dev.atrest.terraform.acceptance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Terraform-compatible CLI (OpenTofu or HashiCorp Terraform) in one working directory, installing
 * this build's provider from its mirror. Both read the same CLI configuration and environment.
 */
final class WorkingDirectory {

    /** What one command did: its exit code and everything it printed. */
    record Result(int exitCode, String output) {
    }

    private final Cli cli;
    private final Path binary;
    private final Path workDir;
    private final Map<String, String> environment = new HashMap<>();

    /** Configures the provider for {@code keyService} through the environment, as its ADMIN. */
    WorkingDirectory(Cli cli, Path workDir, Path mirror, KeyServiceProcess keyService, boolean pluginTls)
            throws IOException {
        this.cli = cli;
        this.binary = cli.requiredBinary();
        this.workDir = workDir;
        Path cliConfig = workDir.resolve("mirror.tfrc");
        Files.writeString(cliConfig, """
                provider_installation {
                  filesystem_mirror {
                    path    = "%s"
                    include = ["registry.terraform.io/atrest/atrest"]
                  }
                  direct {
                    exclude = ["registry.terraform.io/atrest/atrest"]
                  }
                }
                """.formatted(mirror));
        environment.put("TF_CLI_CONFIG_FILE", cliConfig.toString());
        environment.put("TF_IN_AUTOMATION", "1");
        environment.put("CHECKPOINT_DISABLE", "1");
        environment.put("ATREST_ENDPOINT", keyService.endpoint());
        environment.put("ATREST_TOKEN", keyService.adminToken());
        environment.put("TF_LOG_PATH", log().toString());
        environment.put("TF_LOG", "DEBUG");
        if (!pluginTls) {
            environment.put("TF_DISABLE_PLUGIN_TLS", "1");
        }
    }

    /** Another token for the provider, or none when {@code token} is null. */
    WorkingDirectory withToken(String token) {
        if (token == null) {
            environment.remove("ATREST_TOKEN");
        } else {
            environment.put("ATREST_TOKEN", token);
        }
        return this;
    }

    /** One more environment variable for every command (e.g. TF_PLUGIN_CACHE_DIR, or another TF_CLI_CONFIG_FILE). */
    WorkingDirectory withEnvironment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** The CLI's TF_LOG=DEBUG log (the provider's stderr included): tofu.log or terraform.log. */
    Path log() {
        return workDir.resolve(cli.command + ".log");
    }

    Path path() {
        return workDir;
    }

    Result run(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(arguments));
        command.add("-no-color");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("TF_") || name.startsWith("ATREST_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(cli.command + " " + String.join(" ", arguments)
                    + " did not finish in 5 minutes");
        }
        return new Result(process.exitValue(), output);
    }
}
