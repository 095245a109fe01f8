package dev.atrest.terraform.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TlsWarmUpTest {

    @Test
    void run_withTheProcessCertificate_completesAMutualHandshake() {
        // A warm-up that silently stopped half-way would leave most of the handshake code cold.
        assertThat(TlsWarmUp.run(SelfSignedCertificate.generate())).isTrue();
    }
}
