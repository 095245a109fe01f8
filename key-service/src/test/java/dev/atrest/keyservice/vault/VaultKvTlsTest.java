package dev.atrest.keyservice.vault;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.Client;
import dev.atrest.keyservice.support.TlsClients;
import dev.atrest.keyservice.support.TestCertificates;
import dev.atrest.keyservice.support.TlsTestProfile;
import dev.atrest.v1.CreateAccessTokenRequest;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.Role;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * With atrest.tls.* set, the Vault API is served over TLS with the gRPC port's certificate, and there is no
 * plaintext port beside it: a token never crosses the network in the clear.
 */
@QuarkusTest
@TestProfile(TlsTestProfile.class)
class VaultKvTlsTest {
    @TestHTTPResource(value = "/", tls = true)
    URI base;

    @Test
    void read_overTls_servesTheKey_plaintextToTheSamePortRefused() throws Exception {
        String project = TlsTestProfile.GRANTED_PROJECT;
        Client admin = TlsClients.client(null, Api.ADMIN_TOKEN);
        admin.projects().updateProjectEncryption(enableLocal(project));
        admin.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));
        String token = admin.access().createAccessToken(CreateAccessTokenRequest.newBuilder().setName("vault-tls")
                .setRole(Role.KEY_CONSUMER).addProjectIds(project).build()).getSecret();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trustingTestCa())
                .build();
        URI read = URI.create(base.toString().replaceAll("/$", "") + VaultApi.dataPath(project, "c1", "1"));
        assertThat(read.getScheme()).isEqualTo("https");

        HttpResponse<String> overTls = client.send(HttpRequest.newBuilder(read).header("X-Vault-Token", token).build(),
                HttpResponse.BodyHandlers.ofString());
        URI plaintext = URI.create(read.toString().replaceFirst("^https:", "http:"));

        assertThat(overTls.statusCode()).isEqualTo(200);
        assertThat(VaultApi.key(overTls)).hasSize(32);
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(plaintext).header("X-Vault-Token", token).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    /** The health check waits for the Vault API to listen: on HTTPS, Quarkus tells so by another event. */
    @Test
    void healthCheck_vaultApiOnHttpsOnly_saysServing() {
        Client anonymous = TlsClients.client(null, null);
        await("health SERVING").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> anonymous.health() == ServingStatus.SERVING);
    }

    @AfterAll
    static void closeChannels() {
        TlsClients.closeAll();
    }

    private static SSLContext trustingTestCa() throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream ca = Files.newInputStream(TestCertificates.pem("ca"))) {
            trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
