package dev.atrest.keyservice.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The service with TLS on its gRPC port and client certificates asked for: the CA of
 * {@link TestCertificates} issues them, CN "storage-engine" is a KEY_CONSUMER of {@link #GRANTED_PROJECT}
 * and one other project. The ids are new in every test JVM, as the database may outlive it.
 */
public class TlsTestProfile implements QuarkusTestProfile {
    public static final String GRANTED_PROJECT = jvmWide("dev.atrest.test.tls-project");
    public static final String OTHER_GRANTED_PROJECT = jvmWide("dev.atrest.test.tls-other-project");

    @Override
    public Map<String, String> getConfigOverrides() {
        TestCertificates.make();
        return Map.of(
                "atrest.tls.certificate-file", TestCertificates.pem("server").toString(),
                "atrest.tls.key-file", TestCertificates.key("server").toString(),
                "atrest.tls.client-ca-file", TestCertificates.pem("ca").toString(),
                "atrest.auth.certificates.\"storage-engine\".role", "KEY_CONSUMER",
                "atrest.auth.certificates.\"storage-engine\".projects", GRANTED_PROJECT + "," + OTHER_GRANTED_PROJECT);
    }

    /**
     * One value per test JVM: Quarkus may load this class in more than one class loader. (Not under
     * "atrest.": the service refuses unknown settings there, system properties included.)
     */
    private static synchronized String jvmWide(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            value = Api.uniqueId("tls");
            System.setProperty(property, value);
        }
        return value;
    }
}
