package dev.atrest.terraform.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A Terraform-compatible command line the provider is tested against. OpenTofu is a peer the build
 * installs (scripts/test-peers/install-tofu.sh): missing, it fails the test. HashiCorp Terraform is
 * tested wherever a {@code terraform} is on PATH (this machine and CI's): missing, its runs are skipped
 * with a message, never passed.
 */
enum Cli {
    OPENTOFU("tofu") {
        @Override
        Optional<Path> binary() {
            return Optional.of(Acceptance.TOFU).filter(Files::isExecutable);
        }

        @Override
        void require() {
            assertThat(Acceptance.TOFU).as("OpenTofu: run scripts/test-peers/install-tofu.sh").isExecutable();
        }
    },
    TERRAFORM("terraform") {
        @Override
        Optional<Path> binary() {
            return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                    .filter(dir -> !dir.isEmpty())
                    .map(dir -> Path.of(dir, "terraform"))
                    .filter(Files::isExecutable)
                    .findFirst();
        }

        @Override
        void require() {
            Assumptions.assumeTrue(binary().isPresent(),
                    "no terraform on PATH: the HashiCorp Terraform runs are skipped");
        }
    };

    /** The command's name, as in its messages and the names of its files. */
    final String command;

    Cli(String command) {
        this.command = command;
    }

    /** Where this CLI is installed, if it is. */
    abstract Optional<Path> binary();

    /** Stops the calling test unless this CLI is installed: a failure for OpenTofu, a skip for Terraform. */
    abstract void require();

    Path requiredBinary() {
        require();
        return binary().orElseThrow();
    }
}
