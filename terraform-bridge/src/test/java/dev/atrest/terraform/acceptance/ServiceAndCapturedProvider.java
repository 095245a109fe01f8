package dev.atrest.terraform.acceptance;

import static dev.atrest.terraform.acceptance.Acceptance.KEY_SERVICE;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One packaged key service for every class of this kind in the test JVM, a provider mirror per class that
 * captures every provider start's stdout, and a gRPC view of the service to check what the CLI left behind.
 * Starting a key service on a fresh embedded MariaDB costs 10 to 40 seconds, so the classes share one (each test
 * works in projects of its own); it stops when the JVM exits. After each test, every start's stdout must have been
 * the handshake line alone (go-plugin drops anything after it, so only the capture shows it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServiceAndCapturedProvider {

    private static KeyServiceProcess shared;

    Path workRoot;
    KeyServiceProcess keyService;
    ServiceView service;
    StdoutCapturingMirror mirror;

    @BeforeAll
    void startKeyService() throws Exception {
        Acceptance.requirePeers();
        workRoot = Acceptance.newWorkRoot();
        mirror = StdoutCapturingMirror.create(workRoot);
        keyService = sharedKeyService();
        service = new ServiceView(keyService.adminChannel());
    }

    /** The running shared service, started (in a work root of its own) by the first class that needs it. */
    private static synchronized KeyServiceProcess sharedKeyService() throws IOException {
        if (shared == null || !shared.isAlive()) {
            KeyServiceProcess started = KeyServiceProcess.start(KEY_SERVICE, Acceptance.newWorkRoot());
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop the shared key service"));
            shared = started;
        }
        return shared;
    }

    @AfterEach
    void providerStdout_everyStart_isTheHandshakeLineAlone() throws IOException {
        mirror.assertOnlyHandshakes();
    }
}
