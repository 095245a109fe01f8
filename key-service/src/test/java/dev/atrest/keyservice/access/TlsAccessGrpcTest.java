package dev.atrest.keyservice.access;

import static dev.atrest.keyservice.access.AccessControlGrpcTest.assertRefused;
import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.domain.Snapshot;
import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.Client;
import dev.atrest.keyservice.support.TlsClients;
import dev.atrest.keyservice.support.TestClock;
import dev.atrest.keyservice.support.TlsTestProfile;
import dev.atrest.v1.AuditServiceGrpc.AuditServiceBlockingStub;
import dev.atrest.v1.Caller;
import dev.atrest.v1.EncryptionAtRestProvider;
import dev.atrest.v1.ListSnapshotsRequest;
import dev.atrest.v1.RegisterSnapshotRequest;
import dev.atrest.v1.Role;
import dev.atrest.v1.WhoAmIRequest;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The service with TLS and client certificates: a certificate from the configured CA selects its grant;
 * an untrusted, expired or grant-less one gets through the handshake and is refused per call,
 * UNAUTHENTICATED with the reason (not a bare handshake failure), and changes nothing.
 */
@QuarkusTest
@TestProfile(TlsTestProfile.class)
class TlsAccessGrpcTest {

    @Inject
    TestClock clock;

    private Client administrator;

    /** The audit log, read over TLS by the administrator. */
    private AuditServiceBlockingStub auditor() {
        if (administrator == null) {
            administrator = client(null, Api.ADMIN_TOKEN);
        }
        return administrator.audit();
    }

    @Test
    void bearerToken_overTls_allowed() {
        Caller caller = client(null, Api.ADMIN_TOKEN).access().whoAmI(WhoAmIRequest.getDefaultInstance());

        assertThat(caller.getPrincipal()).isEqualTo("token:tok-bootstrap");
    }

    @Test
    void certificate_fromTheCaWithAGrant_isItsGrant() {
        Caller caller = client("storage-engine", null).access().whoAmI(WhoAmIRequest.getDefaultInstance());

        assertThat(caller.getPrincipal()).isEqualTo("certificate:storage-engine");
        assertThat(caller.getRole()).isEqualTo(Role.KEY_CONSUMER);
        assertThat(caller.getProjectIdsList()).containsExactlyInAnyOrder(TlsTestProfile.GRANTED_PROJECT,
                TlsTestProfile.OTHER_GRANTED_PROJECT);
    }

    @Test
    void certificate_onItsProjectAllowed_elsewhereDenied() {
        String project = TlsTestProfile.GRANTED_PROJECT;
        Client admin = client(null, Api.ADMIN_TOKEN);
        admin.projects().updateProjectEncryption(enableLocal(project));
        admin.clusters().setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));
        String other = Api.uniqueId("p");
        Client engine = client("storage-engine", null);

        String snapshot = Api.uniqueId("s");

        engine.snapshots().registerSnapshot(RegisterSnapshotRequest.newBuilder()
                .setProjectId(project).setClusterName("c1").setSnapshotId(snapshot).build());

        assertThat(engine.snapshots().listSnapshots(ListSnapshotsRequest.newBuilder().setProjectId(project)
                .setClusterName("c1").setPageSize(500).build()).getSnapshotsList())
                .extracting(dev.atrest.v1.Snapshot::getSnapshotId).contains(snapshot);
        assertRefused(this::auditor, () -> engine.snapshots().listSnapshots(ListSnapshotsRequest.newBuilder().setProjectId(other)
                .setClusterName("c1").build()), Status.Code.PERMISSION_DENIED, "on project '" + other + "'");
    }

    @Test
    void certificate_fromAnotherCa_unauthenticated() {
        assertRefused(this::auditor, () -> client("untrusted", null).access().whoAmI(WhoAmIRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED, "not issued by the configured client CA");
    }

    @Test
    void certificate_untrustedEvenWithAValidToken_unauthenticated() {
        assertRefused(this::auditor, () -> client("untrusted", Api.ADMIN_TOKEN).access().whoAmI(WhoAmIRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED, "not issued by the configured client CA");
    }

    @Test
    void certificate_expired_unauthenticated() {
        Client shortLived = client("short-lived", null);
        shortLived.access().whoAmI(WhoAmIRequest.getDefaultInstance());

        clock.advance(Duration.ofDays(2));

        assertRefused(this::auditor, () -> shortLived.access().whoAmI(WhoAmIRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED, "expired");
    }

    @Test
    void certificate_withoutAGrant_unauthenticated() {
        assertRefused(this::auditor, () -> client("no-grant", null).access().whoAmI(WhoAmIRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED, "CN=unknown-workload is trusted but has no grant");
    }

    @Test
    void noCertificateNoToken_unauthenticated() {
        assertRefused(this::auditor, () -> client(null, null).access().whoAmI(WhoAmIRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED, "or a client certificate");
    }

    @AfterAll
    static void closeChannels() {
        TlsClients.closeAll();
    }

    private static Client client(String certificate, String token) {
        return TlsClients.client(certificate, token);
    }
}
