package dev.atrest.keyservice.e2e;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.access.LedgerHead;
import dev.atrest.keyservice.access.RevocationLedger;
import dev.atrest.keyservice.audit.ChainAnchor;
import dev.atrest.keyservice.audit.ChainAnchoring;
import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.KmsAnchorTestProfile;
import dev.atrest.keyservice.support.Moto;
import dev.atrest.keyservice.support.TestClock;
import dev.atrest.v1.RevokeAccessTokenRequest;
import dev.atrest.v1.Role;
import dev.atrest.v1.VerifyAuditLogRequest;
import dev.atrest.v1.VerifyAuditLogResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The KMS copy of the anchor against moto: the service's own credentials, an Encrypt whose encryption
 * context carries the head (what CloudTrail keeps), and a KMS outage that never holds up the audit writer.
 */
@QuarkusTest
@TestProfile(KmsAnchorTestProfile.class)
class KmsAuditAnchorTest {
    @Inject
    TestClock clock;

    @Inject
    ChainAnchoring anchoring;

    @Inject
    MeterRegistry metrics;

    @Inject
    RevocationLedger ledger;

    @Test
    void anchor_kmsKeyConfigured_encryptCarriesTheHeadInItsEncryptionContext() throws Exception {
        createAliasOnce();
        MotoRecorder.start();

        ChainAnchor anchor = anchorNow();
        awaitAtLeast(this::kmsSequence, anchor.sequence());
        String calls = MotoRecorder.stopAndRead().replace("\\", "").replace(" ", "");

        assertThat(calls).contains("TrentService.Encrypt", "\"atrest:chain\":\"audit\"",
                "\"atrest:sequence\":\"" + anchor.sequence() + "\"", "\"atrest:mac\":\"" + anchor.macHex() + "\"");
        assertThat(calls).as("the service's own credentials").contains("Credential=AKIAIOSFODNN7EXAMPLE");
    }

    @Test
    void revoke_kmsKeyConfigured_ledgerHeadCopiedToKmsBesideTheAuditHead() throws Exception {
        createAliasOnce();
        MotoRecorder.start();

        String tokenId = Api.createToken(Role.KEY_CONSUMER, "p1").getToken().getTokenId();
        Api.access().revokeAccessToken(RevokeAccessTokenRequest.newBuilder().setTokenId(tokenId).build());
        LedgerHead head = ledger.head();
        ChainAnchor audit = anchorNow(); // offered after the ledger's: one sender, so both are sent once this is
        awaitAtLeast(this::kmsSequence, audit.sequence());
        String calls = MotoRecorder.stopAndRead().replace("\\", "").replace(" ", "");

        assertThat(calls).contains("\"atrest:chain\":\"token-revocations\"",
                "\"atrest:sequence\":\"" + head.sequence() + "\"",
                "\"atrest:mac\":\"" + HexFormat.of().formatHex(head.mac()) + "\"");
        assertThat(calls).as("the audit head is not replaced by the ledger's").contains(
                "\"atrest:mac\":\"" + audit.macHex() + "\"");
    }

    @Test
    void anchor_kmsUnreachable_fileAnchoredAtOnceKmsRetriedUntilItIsBack() throws Exception {
        createAliasOnce();
        double failuresBefore = kmsFailures();
        Moto.link().cut();
        ChainAnchor anchor;
        try {
            long head = appendAndFlush();
            long started = System.nanoTime();
            anchor = anchorAfterTheInterval(head);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the file anchor waits for no KMS call")
                    .isLessThan(Duration.ofSeconds(5));
            awaitAtLeast(() -> (long) kmsFailures(), (long) failuresBefore + 1);
            assertThat(kmsSequence()).isLessThan(anchor.sequence());
        } finally {
            Moto.link().restore();
        }

        awaitAtLeast(this::kmsSequence, anchor.sequence());
    }

    private static synchronized void createAliasOnce() {
        try (KmsClient kms = Moto.adminClient()) {
            boolean exists = kms.listAliases().aliases().stream()
                    .anyMatch(a -> a.aliasName().equals(KmsAnchorTestProfile.ALIAS));
            if (!exists) {
                String keyId = kms.createKey(r -> r.description("atrest audit anchor (test)")).keyMetadata().keyId();
                kms.createAlias(r -> r.aliasName(KmsAnchorTestProfile.ALIAS).targetKeyId(keyId));
            }
        }
    }

    /** Audited calls, then the anchor interval passes and the idle writer anchors the head: returns that anchor. */
    private ChainAnchor anchorNow() throws InterruptedException {
        return anchorAfterTheInterval(appendAndFlush());
    }

    /** An audited call, written: returns the head. */
    private static long appendAndFlush() {
        Api.projects().updateProjectEncryption(enableLocal(Api.uniqueId("kms-anchor")));
        VerifyAuditLogResponse written = Api.audit().verifyAuditLog(VerifyAuditLogRequest.getDefaultInstance());
        return written.getCheckpointSequence() + written.getRecordsVerified();
    }

    private ChainAnchor anchorAfterTheInterval(long head) throws InterruptedException {
        clock.advance(Duration.ofMinutes(5));
        awaitAtLeast(() -> newestAnchor() == null ? 0 : newestAnchor().sequence(), head);
        return newestAnchor();
    }

    private ChainAnchor newestAnchor() {
        return anchoring.file().orElseThrow().read().newest(ChainAnchor.AUDIT).orElse(null);
    }

    private long kmsSequence() {
        return (long) metrics.get("atrest.audit.anchor.kms.sequence").gauge().value();
    }

    private double kmsFailures() {
        return metrics.get("atrest.audit.anchor.kms.failures").counter().count();
    }

    private static void awaitAtLeast(LongSupplier value, long wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (value.getAsLong() < wanted && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(value.getAsLong()).isGreaterThanOrEqualTo(wanted);
    }
}
