package dev.atrest.keyservice.access;

import dev.atrest.keyservice.audit.AnchorFile;
import dev.atrest.keyservice.audit.AnchorReading;
import dev.atrest.keyservice.audit.ChainAnchor;
import dev.atrest.keyservice.audit.ChainAnchoring;
import dev.atrest.keyservice.audit.KmsAnchor;
import dev.atrest.keyservice.store.AccessTokenLedgerRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Anchors the revocation ledger's head outside the database, as chain {@value LedgerAnchorCheck#CHAIN} of the
 * audit anchor file (and in KMS when the audit anchor goes there): at start-up once the ledger is loaded, and
 * after every revocation commits (revocations are rare; each one is anchored before RevokeAccessToken answers).
 *
 * <p>Before anchoring, the ledger is compared with the newest anchored head ({@link LedgerAnchorCheck}): a
 * ledger rolled back behind it, or holding another entry at its sequence, is reported as tampering (the
 * ledger's gauge drops to 0) and the anchor is never moved over the contradiction, so the evidence stays
 * until an operator looks. A failure to write the file never fails a revocation: it is logged, counted
 * ({@code atrest.access.revocations.anchor.failures}) and retried every 10 s.
 */
@ApplicationScoped
public class RevocationAnchor {
    private static final Logger LOG = Logger.getLogger(RevocationAnchor.class);

    private final Optional<AnchorFile> file;
    private final RevocationLedger ledger;
    private final AccessTokenLedgerRepository store;
    private final KmsAnchor kms;
    private final Clock clock;
    private final Counter failures;
    private volatile boolean pending;
    private long consecutiveFailures;

    RevocationAnchor(ChainAnchoring anchoring, RevocationLedger ledger, AccessTokenLedgerRepository store,
                     KmsAnchor kms, Clock clock, MeterRegistry registry) {
        this.file = anchoring.file();
        this.ledger = ledger;
        this.store = store;
        this.kms = kms;
        this.clock = clock;
        this.failures = Counter.builder("atrest.access.revocations.anchor.failures")
                .description("revocation-ledger anchor writes that failed (retried)").register(registry);
    }

    /** After a revocation committed, and at start-up once the ledger is loaded. */
    public void anchorHead() {
        anchor(ledger);
    }

    @Scheduled(identity = "revocation-anchor-retry", every = "10s", delayed = "10s",
            concurrentExecution = ConcurrentExecution.SKIP)
    void retry() {
        if (pending) {
            anchor(ledger);
        }
    }

    /** Compares {@code loaded}'s head with the anchor, reports a contradiction, anchors a head that moved on. */
    synchronized void anchor(RevocationLedger loaded) {
        if (file.isEmpty()) {
            return;
        }
        try {
            LedgerHead head = loaded.head();
            AnchorReading reading = file.get().read();
            if (reading.status() == AnchorReading.Status.INVALID) {
                // Reported by the audit anchor's checks, which move the file aside; never overwritten from here.
                throw new IOException(reading.problem());
            }
            Optional<ChainAnchor> newest = reading.newest(LedgerAnchorCheck.CHAIN);
            Optional<String> contradiction = newest.flatMap(anchored ->
                    LedgerAnchorCheck.contradiction(head, anchored, macAt(anchored.sequence())));
            if (contradiction.isPresent()) {
                pending = false;
                loaded.contradicted(contradiction.get() + "; the anchor in " + file.get().path() + " is kept as it is");
                return;
            }
            if (LedgerAnchorCheck.advances(head, newest)) {
                Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
                ChainAnchor anchor = new ChainAnchor(LedgerAnchorCheck.CHAIN, head.sequence(), head.mac(), now);
                file.get().add(anchor);
                kms.offer(anchor);
            }
            pending = false;
            consecutiveFailures = 0;
        } catch (IOException | RuntimeException e) {
            pending = true;
            failures.increment();
            // Every failure counts in the metric; the log says it at once and then every 30th (5 minutes).
            if (consecutiveFailures++ % 30 == 0) {
                LOG.errorf("revocation anchor: anchoring the token revocation ledger in %s failed (%d times in a row),"
                        + " retrying every 10 s: %s", file.get().path(), consecutiveFailures, e.toString());
            }
        }
    }

    @Transactional
    Optional<byte[]> macAt(long sequence) {
        return store.between(sequence - 1, sequence).stream().findFirst().map(entry -> entry.mac);
    }
}
