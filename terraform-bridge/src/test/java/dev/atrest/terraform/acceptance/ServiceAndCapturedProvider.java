package dev.atrest.terraform.acceptance;

import static dev.atrest.terraform.acceptance.Acceptance.KEY_SERVICE;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One packaged key service per test class, a provider mirror that captures every provider start's stdout,
 * and a gRPC view of the service to check what the CLI left behind. After each test, every start's stdout
 * must have been the handshake line alone (go-plugin drops anything after it, so only the capture shows it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServiceAndCapturedProvider {

    Path workRoot;
    KeyServiceProcess keyService;
    ServiceView service;
    StdoutCapturingMirror mirror;

    @BeforeAll
    void startKeyService() throws Exception {
        Acceptance.requirePeers();
        workRoot = Acceptance.newWorkRoot();
        mirror = StdoutCapturingMirror.create(workRoot);
        keyService = KeyServiceProcess.start(KEY_SERVICE, workRoot);
        service = new ServiceView(keyService.adminChannel());
    }

    @AfterAll
    void stopKeyService() throws Exception {
        if (keyService != null) {
            keyService.close();
        }
    }

    @AfterEach
    void providerStdout_everyStart_isTheHandshakeLineAlone() throws IOException {
        mirror.assertOnlyHandshakes();
    }
}
