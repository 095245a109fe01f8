package dev.atrest.keyservice.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The service with TLS on its gRPC port and client certificates asked for: the CA of
 * {@link TestCertificates} issues them, CN "storage-engine" is a KEY_CONSUMER of the projects
 * {@link #GRANTED_PROJECTS} names.
 */
public class TlsTestProfile implements QuarkusTestProfile {
    public static final String GRANTED_PROJECTS = "tls-p1,tls-p2";

    @Override
    public Map<String, String> getConfigOverrides() {
        TestCertificates.make();
        return Map.of(
                "atrest.tls.certificate-file", TestCertificates.pem("server").toString(),
                "atrest.tls.key-file", TestCertificates.key("server").toString(),
                "atrest.tls.client-ca-file", TestCertificates.pem("ca").toString(),
                "atrest.auth.certificates.\"storage-engine\".role", "KEY_CONSUMER",
                "atrest.auth.certificates.\"storage-engine\".projects", GRANTED_PROJECTS);
    }
}
