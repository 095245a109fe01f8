package dev.atrest.keyservice.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.domain.SecretValue;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class SecretSealerTest {
    private final SecureRandom random = new SecureRandom();
    private final SecretSealer sealer = new SecretSealer(KeyMaterial.generate(random), new KeyWrapper(random));

    @Test
    void open_sealedForSameProject_returnsSecret() {
        byte[] sealed = sealer.seal("p1", SecretValue.ofUtf8("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));

        assertThat(sealer.open("p1", sealed).asUtf8()).isEqualTo("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("wJalrXUtnFEMI");
    }

    @Test
    void open_sealedForAnotherProject_fails() {
        byte[] sealed = sealer.seal("p1", SecretValue.ofUtf8("secret"));

        assertThatThrownBy(() -> sealer.open("p2", sealed)).isInstanceOf(UnwrapException.class);
    }

    @Test
    void secretValue_neverPrintsItself() {
        SecretValue secret = SecretValue.ofUtf8("hunter2");

        assertThat(secret.toString()).doesNotContain("hunter2");
        secret.clear();
        assertThat(secret.asUtf8()).doesNotContain("hunter2");
    }
}
