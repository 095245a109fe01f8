package dev.atrest.keyservice.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.audit.ChainAnchor;
import dev.atrest.keyservice.audit.ChainAnchoring;
import dev.atrest.keyservice.audit.KmsAnchor;
import dev.atrest.keyservice.store.AccessTokenLedgerRepository;
import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.ServiceSql;
import dev.atrest.keyservice.support.TestClock;
import dev.atrest.v1.AccessServiceGrpc.AccessServiceBlockingStub;
import dev.atrest.v1.CreateAccessTokenResponse;
import dev.atrest.v1.RevokeAccessTokenRequest;
import dev.atrest.v1.Role;
import dev.atrest.v1.VerifyAuditLogRequest;
import dev.atrest.v1.WhoAmIRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The revocation ledger's head anchored outside the database (chain "token-revocations" of the anchor file),
 * against someone with the database alone who rolls the whole ledger back consistently: the entry deleted,
 * the head rewound to its earlier sequence and MAC, the token's row put back as it was before its revocation.
 * A replica loading that ledger finds it consistent; only the anchor tells, and it does. Puts back what it
 * changed, so the ledger and the anchor agree again for the tests after it.
 */
@QuarkusTest
class RevocationAnchorTest {
    @Inject
    DataSource dataSource;

    @Inject
    TestClock clock;

    @Inject
    RevocationLedger ledger;

    @Inject
    RevocationAnchor anchor;

    @Inject
    ChainAnchoring anchoring;

    @Inject
    AccessTokenLedgerRepository ledgerRows;

    @Inject
    TokenMacs macs;

    @Inject
    TokenIntegrityUpgrade upgrade;

    @Inject
    KmsAnchor kms;

    @Inject
    TamperReports reports;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "atrest.auth.token-cache-ttl")
    Duration cacheTtl;

    @Test
    void revoke_ledgerHeadAnchoredThenRolledBackConsistently_rollbackReportedAndTokenStaysRevoked() throws Exception {
        CreateAccessTokenResponse created = Api.createToken(Role.ADMIN);
        String tokenId = created.getToken().getTokenId();
        AccessServiceBlockingStub holder = Api.as(created.getSecret()).access();
        List<Object[]> rowBefore = sql().rows("SELECT * FROM access_token WHERE token_id = ?", tokenId);
        LedgerHead headBefore = ledger.head();

        Api.access().revokeAccessToken(RevokeAccessTokenRequest.newBuilder().setTokenId(tokenId).build());

        LedgerHead headAfter = ledger.head();
        assertThat(headAfter.sequence()).isEqualTo(headBefore.sequence() + 1);
        assertThat(newestAnchor()).as("anchored before RevokeAccessToken answered").hasValueSatisfying(anchored -> {
            assertThat(anchored.sequence()).isEqualTo(headAfter.sequence());
            assertThat(anchored.mac()).isEqualTo(headAfter.mac());
        });
        assertThat(anchorLines()).anySatisfy(line -> assertThat(line).startsWith("v1 chain=token-revocations sequence="
                + headAfter.sequence() + " mac=" + java.util.HexFormat.of().formatHex(headAfter.mac()) + " "));
        List<Object[]> entry = sql().rows("SELECT * FROM access_token_revocation WHERE token_id = ?", tokenId);

        // The attacker's clean rollback: entry gone, head rewound, the row as copied before the revocation.
        sql().execute("DELETE FROM access_token_revocation WHERE token_id = ?", tokenId);
        setHead(headBefore);
        sql().execute("DELETE FROM access_token WHERE token_id = ?", tokenId);
        sql().insert("access_token", rowBefore);
        try {
            // Replicas built outside CDI have no interceptor to open the transactions their reads declare:
            // the test opens them.
            RevocationLedger restarted = new RevocationLedger(ledgerRows, macs, reports, new SimpleMeterRegistry());
            QuarkusTransaction.requiringNew().run(restarted::load);
            assertThat(restarted.intact()).as("the database alone shows nothing").isTrue();
            double tamperedBefore = tampered();

            // A replica starting on it: token integrity's set-up loads the ledger and checks it against the anchor.
            QuarkusTransaction.requiringNew().run(() -> new TokenIntegrity(macs, restarted, upgrade, reports,
                    new RevocationAnchor(anchoring, restarted, ledgerRows, kms, clock, new SimpleMeterRegistry())).setUp());

            assertThat(restarted.intact()).as("revocations-intact gauge").isFalse();
            assertThat(tampered()).isGreaterThan(tamperedBefore);
            assertReported("ends at entry " + headBefore.sequence() + " but entry " + headAfter.sequence()
                    + " was anchored");
            assertThat(newestAnchor()).as("never moved back").hasValueSatisfying(anchored ->
                    assertThat(anchored.sequence()).isEqualTo(headAfter.sequence()));
            clock.advance(cacheTtl.plusMillis(1));
            assertRevoked(holder, tokenId);

            // A revocation on the rolled-back ledger takes the anchored sequence with another MAC: not anchored.
            CreateAccessTokenResponse other = Api.createToken(Role.KEY_CONSUMER, "p1");
            String otherTokenId = other.getToken().getTokenId();
            Api.access().revokeAccessToken(RevokeAccessTokenRequest.newBuilder().setTokenId(otherTokenId).build());
            assertReported("entry " + headAfter.sequence() + " differs from the one anchored");
            assertThat(newestAnchor()).hasValueSatisfying(anchored ->
                    assertThat(anchored.mac()).isEqualTo(headAfter.mac()));
        } finally {
            sql().execute("DELETE FROM access_token_revocation WHERE sequence > ?", headBefore.sequence());
            sql().insert("access_token_revocation", entry);
            setHead(headAfter);
            sql().execute("UPDATE access_token t JOIN access_token_revocation r ON r.token_id = t.token_id"
                    + " SET t.revoke_time = r.revoke_time WHERE t.token_id = ?", tokenId);
        }
        RevocationLedger putBack = new RevocationLedger(ledgerRows, macs, reports, new SimpleMeterRegistry());
        QuarkusTransaction.requiringNew().run(putBack::load);
        anchor.anchor(putBack);
        assertThat(putBack.intact()).as("intact again once put back").isTrue();
    }

    private Optional<ChainAnchor> newestAnchor() {
        return anchoring.file().orElseThrow().read().newest(LedgerAnchorCheck.CHAIN);
    }

    private List<String> anchorLines() throws java.io.IOException {
        return java.nio.file.Files.readAllLines(anchoring.file().orElseThrow().path());
    }

    private double tampered() {
        var counter = registry.find("atrest.access.tokens.tampered").counter(); // registered on first use
        return counter == null ? 0 : counter.count();
    }

    private void assertReported(String words) throws SQLException {
        Api.audit().verifyAuditLog(VerifyAuditLogRequest.getDefaultInstance()); // writes what is queued
        assertThat(sql().rows(
                "SELECT detail FROM audit_record WHERE action = ? AND resource = 'tokens' AND outcome = ?",
                TamperReports.ACTION, TamperReports.OUTCOME)).extracting(row -> (String) row[0])
                .anySatisfy(detail -> assertThat(detail).contains(words));
    }

    private static void assertRevoked(AccessServiceBlockingStub stub, String tokenId) {
        assertThatThrownBy(() -> stub.whoAmI(WhoAmIRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getStatus().getDescription()).isEqualTo("revoked token " + tokenId);
                });
    }

    private void setHead(LedgerHead head) throws SQLException {
        sql().execute("UPDATE access_token_ledger_head SET last_sequence = ?, last_mac = ? WHERE id = 1",
                head.sequence(),
                head.mac());
    }

    private ServiceSql sql() {
        return new ServiceSql(dataSource);
    }
}
