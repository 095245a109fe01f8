package dev.atrest.keyservice.access;

import dev.atrest.keyservice.store.AccessTokenLedgerHeadEntity;
import dev.atrest.keyservice.store.AccessTokenLedgerRepository;
import dev.atrest.keyservice.store.AccessTokenRevocationEntity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every token ever revoked, as an append-only hash chain in the database (table access_token_revocation)
 * and as a set in memory. A token is revoked when its row OR this ledger says so: a row put back as it was
 * before its revocation (its MAC still valid) is still refused.
 *
 * <p>The set only grows. It is loaded and verified at start-up ({@link #load}) and brought up to date
 * whenever a token is read from the database ({@link #refresh}: one query for the head, more only when it
 * moved). An entry removed from the middle breaks the chain; a head that goes back compared with what this
 * replica has seen is a rollback: both are reported, and the tokens this replica knows stay revoked. A clean
 * rollback of the whole ledger before every replica restarted is visible only against the head anchored
 * outside the database ({@link #head}, anchored by {@link RevocationAnchor}).
 */
@ApplicationScoped
public class RevocationLedger {
    private final AccessTokenLedgerRepository store;
    private final TokenMacs macs;
    private final LedgerCheck check;
    private final TamperReports reports;
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    private volatile LedgerHead seen;
    private volatile boolean intact = true;

    RevocationLedger(AccessTokenLedgerRepository store, TokenMacs macs, TamperReports reports, MeterRegistry registry) {
        this.store = store;
        this.macs = macs;
        this.check = new LedgerCheck(macs);
        this.reports = reports;
        this.seen = new LedgerHead(0, macs.genesis());
        Gauge.builder("atrest.access.revocations.intact", this, ledger -> ledger.intact ? 1 : 0)
                .description("1 while the token revocation ledger verified, 0 once it was found tampered with")
                .register(registry);
    }

    /** Reads and verifies the whole ledger; at start-up, after the integrity upgrade. */
    public synchronized void load() {
        catchUp(storedHead());
    }

    /** Applies what other replicas appended since the last look; reports a ledger that went backwards. */
    public void refresh() {
        if (storedHead().filter(stored -> stored.equals(seen)).isPresent()) {
            return; // the usual case: nothing revoked since
        }
        synchronized (this) {
            catchUp(storedHead()); // read again under the lock: another thread may have caught up meanwhile
        }
    }

    /** When the ledger says {@code tokenId} was revoked, if it does. */
    public Optional<Instant> revokedAt(String tokenId) {
        return Optional.ofNullable(revoked.get(tokenId));
    }

    /** The head this replica has verified, after a look at the database: what an anchor outside it records. */
    public LedgerHead head() {
        refresh();
        return seen;
    }

    /** Whether every look at the ledger since start-up found it intact. */
    public boolean intact() {
        return intact;
    }

    /**
     * Appends {@code tokenId}'s revocation in the caller's transaction, holding the head's lock until it ends
     * (appenders on every replica take turns). Nothing when the ledger names the token already. A ledger whose
     * head was tampered with does not stop a revocation: the row still records it, and this replica remembers.
     */
    public void append(String tokenId, Instant revokeTime) {
        AccessTokenLedgerHeadEntity head = store.head(true);
        if (store.names(tokenId)) {
            return;
        }
        if (head == null || head.lastMac == null) {
            intact = false;
            reports.report(tokenId, "revoked in its row only: the revocation ledger's head is missing or carries no MAC");
            return;
        }
        Instant time = revokeTime.truncatedTo(ChronoUnit.MICROS);
        long sequence = head.lastSequence + 1;
        byte[] mac = macs.revocationMac(head.lastMac, sequence, tokenId, time);
        store.persist(AccessTokenRevocationEntity.of(sequence, tokenId, time, mac));
        head.lastSequence = sequence;
        head.lastMac = mac;
    }

    /** This replica's own revocation, committed: effective here at once, before the next look at the ledger. */
    public void remember(String tokenId, Instant revokeTime) {
        revoked.putIfAbsent(tokenId, revokeTime);
    }

    private void catchUp(Optional<LedgerHead> stored) {
        if (stored.isEmpty()) {
            problem("the revocation ledger's head is missing or carries no MAC (token integrity was not set up,"
                    + " or the head was rewritten)");
            return;
        }
        LedgerHead head = stored.get();
        if (head.equals(seen)) {
            return;
        }
        // After a rollback, read everything again: entries appended since still count.
        long after = head.sequence() < seen.sequence() ? 0 : seen.sequence();
        List<LedgerCheck.Entry> entries = entriesBetween(after, head.sequence());
        LedgerCheck.Outcome outcome = check.walk(seen, entries, head);
        outcome.entries().forEach(entry -> revoked.putIfAbsent(entry.tokenId(), entry.revokeTime()));
        outcome.problem().ifPresent(this::problem);
        seen = outcome.reached(); // reported once: the next look starts from what is stored now
    }

    /** A contradiction found against the head anchored outside the database: reported like the ledger's own. */
    void contradicted(String problem) {
        problem(problem);
    }

    private void problem(String problem) {
        intact = false;
        reports.report("", problem);
    }

    @Transactional
    Optional<LedgerHead> storedHead() {
        AccessTokenLedgerHeadEntity head = store.head(false);
        return head == null || head.lastMac == null ? Optional.empty()
                : Optional.of(new LedgerHead(head.lastSequence, head.lastMac));
    }

    /** Entries after {@code after} up to the head just read: later ones belong to a head not read yet. */
    @Transactional
    List<LedgerCheck.Entry> entriesBetween(long after, long upTo) {
        return store.between(after, upTo).stream()
                .map(row -> new LedgerCheck.Entry(row.sequence, row.tokenId, row.revokeTime, row.mac)).toList();
    }
}
