package dev.atrest.keyservice.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.domain.AccessToken;
import dev.atrest.keyservice.domain.BearerTokens;
import dev.atrest.keyservice.store.AccessTokenLedgerRepository;
import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.ServiceSql;
import dev.atrest.keyservice.support.TestClock;
import dev.atrest.v1.AccessServiceGrpc.AccessServiceBlockingStub;
import dev.atrest.v1.CreateAccessTokenRequest;
import dev.atrest.v1.CreateAccessTokenResponse;
import dev.atrest.v1.ListAccessTokensRequest;
import dev.atrest.v1.RevokeAccessTokenRequest;
import dev.atrest.v1.Role;
import dev.atrest.v1.VerifyAuditLogRequest;
import dev.atrest.v1.WhoAmIRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Access tokens against someone who can read and write the database and nothing else (the service's own
 * database account, here through its datasource): a row inserted with a secret of their choosing, a grant
 * altered, a revocation undone by an UPDATE or by putting back the row and the ledger as they were before.
 * Each is refused as an unknown (or revoked) token and reported: an ERROR line naming the token and an audit
 * record. Every test puts back what it changed, so the tables are consistent again for the tests after it.
 */
@QuarkusTest
class TokenTamperingTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String INSERT_ROW = "INSERT INTO access_token (token_id, token_sha256, name, role,"
            + " all_projects, create_time, expire_time, revoke_time, created_by) VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(6),"
            + " NULL, ?, 'token:tok-bootstrap')";

    @Inject
    DataSource dataSource;

    @Inject
    TestClock clock;

    @Inject
    RevocationLedger ledger;

    @Inject
    TokenIntegrityUpgrade upgrade;

    @Inject
    AccessTokenLedgerRepository ledgerRows;

    @Inject
    TokenMacs macs;

    @Inject
    TamperReports reports;

    @ConfigProperty(name = "atrest.auth.token-cache-ttl")
    Duration cacheTtl;

    @Test
    void authenticate_rowInsertedWithAChosenSecret_unknownTokenAndReported() throws Exception {
        String secret = BearerTokens.newSecret(RANDOM);
        String tokenId = "tok-forged-" + Api.uniqueId("a");
        sql().execute(INSERT_ROW, tokenId, BearerTokens.sha256Hex(secret), "forged", "ADMIN", true, null);
        try {
            assertUnknown(Api.as(secret).access());
            assertReported(tokenId, "carries no MAC");
            assertThat(listedIds(true)).doesNotContain(tokenId);

            // A MAC copied from a genuine row does not help: it is over that row's fields.
            sql().execute("UPDATE access_token SET row_mac = ? WHERE token_id = ?", rowMac("tok-bootstrap"), tokenId);
            assertUnknown(Api.as(secret).access());
            assertReported(tokenId, "does not match its MAC");
        } finally {
            sql().execute("DELETE FROM access_token WHERE token_id = ?", tokenId);
        }
    }

    @Test
    void authenticate_roleRaised_unknownTokenAndReportedUntilPutBack() throws Exception {
        alteredThenPutBack("UPDATE access_token SET role = 'ADMIN' WHERE token_id = ?",
                "UPDATE access_token SET role = 'KEY_CONSUMER' WHERE token_id = ?", 0);
    }

    @Test
    void authenticate_allProjectsGranted_unknownTokenAndReportedUntilPutBack() throws Exception {
        alteredThenPutBack("UPDATE access_token SET all_projects = 1 WHERE token_id = ?",
                "UPDATE access_token SET all_projects = 0 WHERE token_id = ?", 0);
    }

    @Test
    void authenticate_projectAdded_unknownTokenAndReportedUntilPutBack() throws Exception {
        alteredThenPutBack("INSERT INTO access_token_project (token_id, project_id) VALUES (?, 'someone-elses')",
                "DELETE FROM access_token_project WHERE token_id = ? AND project_id = 'someone-elses'", 0);
    }

    @Test
    void authenticate_expiryRemoved_unknownTokenAndReportedUntilPutBack() throws Exception {
        alteredThenPutBack("UPDATE access_token SET expire_time = NULL WHERE token_id = ?",
                "UPDATE access_token SET expire_time = DATE_ADD(create_time, INTERVAL 1 DAY) WHERE token_id = ?", 1);
    }

    @Test
    void authenticate_anotherSecretHashOnAGenuineRow_unknownTokenAndReported() throws Exception {
        CreateAccessTokenResponse genuine = Api.createToken(Role.ADMIN);
        String tokenId = genuine.getToken().getTokenId();
        String secret = BearerTokens.newSecret(RANDOM);
        String genuineSha256 = BearerTokens.sha256Hex(genuine.getSecret());

        sql().execute("UPDATE access_token SET token_sha256 = ? WHERE token_id = ?",
                BearerTokens.sha256Hex(secret), tokenId);
        try {
            assertUnknown(Api.as(secret).access());
            assertReported(tokenId, "does not match its MAC");
        } finally {
            sql().execute("UPDATE access_token SET token_sha256 = ? WHERE token_id = ?", genuineSha256, tokenId);
        }
    }

    @Test
    void authenticate_revokedThenRevokeTimeCleared_stillRevokedAndReported() throws Exception {
        CreateAccessTokenResponse created = Api.createToken(Role.KEY_CONSUMER, "p1");
        String tokenId = created.getToken().getTokenId();
        Api.access().revokeAccessToken(RevokeAccessTokenRequest.newBuilder().setTokenId(tokenId).build());

        sql().execute("UPDATE access_token SET revoke_time = NULL WHERE token_id = ?", tokenId);
        clock.advance(cacheTtl.plusMillis(1));

        assertRevoked(Api.as(created.getSecret()).access(), tokenId);
        assertReported(tokenId, "an un-revocation");
        assertThat(listedIds(false)).doesNotContain(tokenId);
        assertThat(Api.access().listAccessTokens(ListAccessTokensRequest.newBuilder().setIncludeInactive(true).build())
                .getTokensList()).filteredOn(t -> t.getTokenId().equals(tokenId)).singleElement()
                .satisfies(t -> assertThat(t.hasRevokeTime()).isTrue());
        sql().execute("UPDATE access_token t JOIN access_token_revocation r ON r.token_id = t.token_id"
                + " SET t.revoke_time = r.revoke_time WHERE t.token_id = ?", tokenId);
    }

    @Test
    void authenticate_rowAndLedgerPutBackAsBeforeTheRevocation_stillRevokedAndReported() throws Exception {
        CreateAccessTokenResponse created = Api.createToken(Role.ADMIN);
        String tokenId = created.getToken().getTokenId();
        AccessServiceBlockingStub holder = Api.as(created.getSecret()).access();
        List<Object[]> rowBefore = sql().rows("SELECT * FROM access_token WHERE token_id = ?", tokenId);
        LedgerHead headBefore = ledger.head();
        Api.access().revokeAccessToken(RevokeAccessTokenRequest.newBuilder().setTokenId(tokenId).build());
        LedgerHead headAfter = ledger.head();
        List<Object[]> entry = sql().rows("SELECT * FROM access_token_revocation WHERE token_id = ?", tokenId);
        assertThat(headAfter.sequence()).isEqualTo(headBefore.sequence() + 1);

        // The attacker's restore: the ledger entry goes, the row comes back as copied before the revocation.
        sql().execute("DELETE FROM access_token_revocation WHERE token_id = ?", tokenId);
        sql().execute("DELETE FROM access_token WHERE token_id = ?", tokenId);
        sql().insert("access_token", rowBefore);
        try {
            clock.advance(cacheTtl.plusMillis(1));
            assertRevoked(holder, tokenId);
            assertReported(tokenId, "an un-revocation");

            // A replica starting now: the head names an entry that is gone.
            RevocationLedger restarted = replicaStartingNow();
            assertThat(restarted.intact()).isFalse();
            assertReported("", "not its last entry");

            // The head put back too: the running replica saw it further on (a rollback) and keeps the token revoked.
            setHead(headBefore);
            clock.advance(cacheTtl.plusMillis(1));
            assertRevoked(holder, tokenId);
            assertReported("", "went back from entry " + headAfter.sequence() + " to " + headBefore.sequence());
            assertThat(ledger.intact()).isFalse();
            // A replica starting on this clean rollback finds it consistent: only the head anchored outside the
            // database (what head() gives) tells, and it does.
            RevocationLedger rolledBack = replicaStartingNow();
            assertThat(rolledBack.intact()).isTrue();
            assertThat(rolledBack.head()).isEqualTo(headBefore).isNotEqualTo(headAfter);
        } finally {
            sql().insert("access_token_revocation", entry);
            setHead(headAfter);
            sql().execute("UPDATE access_token t JOIN access_token_revocation r ON r.token_id = t.token_id"
                    + " SET t.revoke_time = r.revoke_time WHERE t.token_id = ?", tokenId);
        }
        assertThat(replicaStartingNow().intact()).as("intact again once put back").isTrue();
    }

    @Test
    void ledger_replicaStartingNow_verifiesAndReachesTheRunningHead() {
        CreateAccessTokenResponse created = Api.createToken(Role.KEY_CONSUMER, "p1");
        Api.access().revokeAccessToken(RevokeAccessTokenRequest.newBuilder()
                .setTokenId(created.getToken().getTokenId()).build());

        RevocationLedger restarted = replicaStartingNow();

        assertThat(restarted.intact()).isTrue();
        assertThat(restarted.head()).isEqualTo(ledger.head());
        assertThat(restarted.revokedAt(created.getToken().getTokenId())).isPresent();
    }

    @Test
    void create_normally_worksAndIsListed() {
        CreateAccessTokenResponse created = Api.createToken(Role.KEY_CONSUMER, "p1");
        clock.advance(cacheTtl.plusMillis(1));

        assertThat(Api.as(created.getSecret()).access().whoAmI(WhoAmIRequest.getDefaultInstance()).getPrincipal())
                .isEqualTo("token:" + created.getToken().getTokenId());
        assertThat(listedIds(false)).contains(created.getToken().getTokenId(), "tok-bootstrap");
    }

    @Test
    void upgrade_markerRemovedWhileProtectedRowsRemain_adoptsNothingAndReports() throws Exception {
        String secret = BearerTokens.newSecret(RANDOM);
        String tokenId = "tok-legacy-" + Api.uniqueId("b");
        sql().execute(INSERT_ROW, tokenId, BearerTokens.sha256Hex(secret), "legacy-looking", "ADMIN", true, null);
        LedgerHead head = ledger.head();

        sql().execute("UPDATE access_token_ledger_head SET last_mac = NULL WHERE id = 1");
        try {
            upgrade.runOnce();
        } finally {
            setHead(head);
        }

        try {
            assertThat(rowMac(tokenId)).as("not adopted").isNull();
            assertReported("", "the marker that token integrity was set up is gone");
            assertUnknown(Api.as(secret).access());
        } finally {
            sql().execute("DELETE FROM access_token WHERE token_id = ?", tokenId);
        }
    }

    @Test
    void upgrade_databaseOfThePreviousVersion_adoptsItsTokensOnceWithTheSameMacs() throws Exception {
        String activeSecret = BearerTokens.newSecret(RANDOM);
        String revokedSecret = BearerTokens.newSecret(RANDOM);
        String active = "tok-old-" + Api.uniqueId("c");
        String revoked = "tok-old-" + Api.uniqueId("d");
        // Rows the service created (tests above may leave forged ones behind, which a rewind adopts too).
        List<Object[]> macsBefore = sql().rows("SELECT token_id, row_mac FROM access_token"
                + " WHERE token_id = 'tok-bootstrap' OR token_id REGEXP '^tok-[0-9a-f]{32}$'");
        List<Object[]> ledgerBefore = sql().rows("SELECT * FROM access_token_revocation ORDER BY sequence");
        LedgerHead headBefore = ledger.head();
        try {
            // What the previous version left: no MAC anywhere, no ledger, the head not set up (V5 just ran).
            sql().execute("UPDATE access_token SET row_mac = NULL");
            sql().execute("DELETE FROM access_token_revocation");
            sql().execute("UPDATE access_token_ledger_head SET last_sequence = 0, last_mac = NULL WHERE id = 1");
            sql().execute(INSERT_ROW, active, BearerTokens.sha256Hex(activeSecret), "old-active", "KEY_CONSUMER", true,
                    null);
            sql().execute(INSERT_ROW, revoked, BearerTokens.sha256Hex(revokedSecret), "old-revoked", "ADMIN", true,
                    java.sql.Timestamp.valueOf("2026-01-01 00:00:00"));

            upgrade.runOnce();
            LedgerHead adopted = ledger.head();
            upgrade.runOnce();

            assertThat(ledger.head()).as("once").isEqualTo(adopted);
            for (Object[] row : macsBefore) {
                assertThat(rowMac((String) row[0])).as("%s", row[0]).isEqualTo(row[1]);
            }
            assertThat(rowMac(active)).isNotNull();
            clock.advance(cacheTtl.plusMillis(1));
            assertThat(Api.as(activeSecret).access().whoAmI(WhoAmIRequest.getDefaultInstance()).getPrincipal())
                    .isEqualTo("token:" + active);
            assertRevoked(Api.as(revokedSecret).access(), revoked);
            assertThat(sql().rows("SELECT token_id FROM access_token_revocation WHERE token_id = ?",
                    revoked)).hasSize(1);
            assertThat(replicaStartingNow().intact()).isTrue();
        } finally {
            sql().execute("DELETE FROM access_token_revocation");
            sql().insert("access_token_revocation", ledgerBefore);
            setHead(headBefore);
            Api.access().revokeAccessToken(RevokeAccessTokenRequest.newBuilder().setTokenId(revoked).build());
        }
        assertThat(replicaStartingNow().intact()).as("intact again once put back").isTrue();
    }

    /**
     * A KEY_CONSUMER token that works (and is cached) is altered by {@code change}: once its cache entry ages
     * out it is refused and reported; after {@code putBack} it works again (refusals are not cached).
     */
    private void alteredThenPutBack(String change, String putBack, int ttlDays) throws Exception {
        CreateAccessTokenResponse created = Api.access().createAccessToken(CreateAccessTokenRequest.newBuilder()
                .setName(Api.uniqueId("altered")).setRole(Role.KEY_CONSUMER).addProjectIds("p1").setTtlDays(ttlDays)
                .build());
        String tokenId = created.getToken().getTokenId();
        AccessServiceBlockingStub holder = Api.as(created.getSecret()).access();
        holder.whoAmI(WhoAmIRequest.getDefaultInstance());

        sql().execute(change, tokenId);
        clock.advance(cacheTtl.plusMillis(1));

        try {
            assertUnknown(holder);
            assertReported(tokenId, "does not match its MAC");
            assertThat(listedIds(true)).doesNotContain(tokenId);
        } finally {
            sql().execute(putBack, tokenId);
        }
        assertThat(holder.whoAmI(WhoAmIRequest.getDefaultInstance()).getPrincipal()).isEqualTo("token:" + tokenId);
    }

    /** The revocation ledger as a replica starting on this database now loads it. */
    private RevocationLedger replicaStartingNow() {
        RevocationLedger fresh = new RevocationLedger(ledgerRows, macs, reports, new SimpleMeterRegistry());
        // Built outside CDI, it has no interceptor to open the transaction its reads declare: give it one.
        QuarkusTransaction.requiringNew().run(fresh::load);
        return fresh;
    }

    private static void assertUnknown(AccessServiceBlockingStub stub) {
        assertRefused(stub, "unknown bearer token");
    }

    private static void assertRevoked(AccessServiceBlockingStub stub, String tokenId) {
        assertRefused(stub, "revoked token " + tokenId);
    }

    private static void assertRefused(AccessServiceBlockingStub stub, String description) {
        assertThatThrownBy(() -> stub.whoAmI(WhoAmIRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getStatus().getDescription()).isEqualTo(description);
                });
    }

    /** An audit record and an ERROR line name the token ("" for the ledger as a whole) and say what was wrong. */
    private void assertReported(String tokenId, String words) throws SQLException, IOException {
        Api.audit().verifyAuditLog(VerifyAuditLogRequest.getDefaultInstance()); // writes what is queued
        List<Object[]> records = sql().rows(
                "SELECT detail FROM audit_record WHERE action = ? AND resource = ? AND outcome = ?",
                TamperReports.ACTION, tokenId.isEmpty() ? "tokens" : "tokens/" + tokenId, TamperReports.OUTCOME);
        assertThat(records).extracting(row -> (String) row[0]).anySatisfy(detail -> assertThat(detail).contains(words));
        String prefix = "access token integrity: " + (tokenId.isEmpty() ? "" : "token " + tokenId + ": ");
        assertThat(Files.readAllLines(Path.of("target", "test-logs", "key-service.log")))
                .anySatisfy(line -> assertThat(line).contains("ERROR").contains(prefix).contains(words));
    }

    private static List<String> listedIds(boolean includeInactive) {
        return Api.access().listAccessTokens(ListAccessTokensRequest.newBuilder().setIncludeInactive(includeInactive)
                .build()).getTokensList().stream().map(dev.atrest.v1.AccessToken::getTokenId).toList();
    }

    private byte[] rowMac(String tokenId) throws SQLException {
        List<Object[]> rows = sql().rows("SELECT row_mac FROM access_token WHERE token_id = ?", tokenId);
        assertThat(rows).hasSize(1);
        return (byte[]) rows.get(0)[0];
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
