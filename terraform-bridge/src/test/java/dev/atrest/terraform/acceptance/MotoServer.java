package dev.atrest.terraform.acceptance;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** moto's server (AWS KMS and STS emulator, in memory) on a free loopback port, logging to a file. */
final class MotoServer implements AutoCloseable {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(60);

    private final Process process;
    final int port;
    final Path log;

    private MotoServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Fails (never skips) when moto is not installed: the aws-kms acceptance test is meant to run everywhere. */
    static MotoServer start(Path motoServer, Path workDir) throws IOException, InterruptedException {
        if (!Files.isExecutable(motoServer)) {
            throw new IllegalStateException("moto_server missing at " + motoServer
                    + ": run scripts/test-peers/install.sh (installs moto[server] into .tools/venv)");
        }
        int port = Acceptance.freePort();
        Path log = workDir.resolve("moto.log");
        Process process = new ProcessBuilder(motoServer.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        MotoServer moto = new MotoServer(process, port, log);
        if (!Acceptance.awaitListening(port, STARTUP_LIMIT, process::isAlive)) {
            boolean exited = !process.isAlive();
            moto.close();
            throw new IllegalStateException((exited ? "moto_server exited during start-up" : "moto_server not listening after "
                    + STARTUP_LIMIT) + "; see " + log);
        }
        return moto;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
