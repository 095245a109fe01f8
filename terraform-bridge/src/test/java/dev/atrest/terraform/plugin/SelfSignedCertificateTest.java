package dev.atrest.terraform.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelfSignedCertificateTest {

    private final SelfSignedCertificate generated = SelfSignedCertificate.generate();
    private final X509Certificate certificate = generated.certificate();

    @Test
    void generate_always_isSelfSignedForLocalhostWithServerAndClientAuth() throws Exception {
        certificate.verify(certificate.getPublicKey());
        certificate.checkValidity();
        assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=localhost");
        assertThat(certificate.getSubjectAlternativeNames())
                .contains(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
        assertThat(certificate.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(certificate.getBasicConstraints()).isGreaterThanOrEqualTo(0); // CA: Go accepts it as its own root
        assertThat(certificate.getKeyUsage()[0]).as("digitalSignature").isTrue();
    }

    @Test
    void handshakeEncoding_always_isUnpaddedBase64OfDer() throws Exception {
        String encoded = generated.handshakeEncoding();

        assertThat(encoded).doesNotEndWith("=");
        assertThat(Base64.getDecoder().decode(encoded)).isEqualTo(certificate.getEncoded());
    }

    @Test
    void toString_always_hidesPrivateKey() {
        assertThat(generated.toString()).doesNotContain(generated.privateKey().toString()).contains("key hidden");
    }
}
