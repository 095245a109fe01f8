package dev.atrest.keyservice.audit;

import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.crypto.SecretSealer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Anchors the audit chain's head outside the database: after every {@code every-records} records or
 * {@code interval} (whichever comes first, while records are appended), the head this service appended
 * (sequence, the MAC it computed, time) goes into the anchor file ({@link AnchorFile}), then to KMS when
 * configured ({@link KmsAnchor}). Runs on the audit writer's thread ({@link HeadWatcher}); a failure is
 * logged, counted and retried, never thrown at the writer.
 *
 * <p>The anchor only ever moves forward along one chain: before a newer head is anchored, the record at
 * the newest anchored sequence must still carry the anchored MAC. A log rolled back or rewritten in the
 * database therefore never gets a new anchor that would bury the evidence: the file keeps the contradicted
 * anchor (and VerifyAuditLog keeps reporting it) until an operator looks.
 */
@Startup
@ApplicationScoped
public class ChainAnchoring implements HeadWatcher {
    /** The HKDF info of the anchor file's MAC key; changing it makes every anchor file unreadable. */
    static final String ANCHOR_KEY_PURPOSE = "atrest audit anchor v1";
    private static final Logger LOG = Logger.getLogger(ChainAnchoring.class);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(10);

    /** The stored MAC of one record, if it is there (the continuity check before a new anchor). */
    interface StoredMacs {
        Optional<byte[]> macAt(long sequence) throws SQLException;
    }

    private final Optional<AnchorFile> file;
    private final StoredMacs stored;
    private final AnchorCopies copies;
    private final Clock clock;
    private final long everyRecords;
    private final Duration interval;
    private final AtomicLong anchoredSequence = new AtomicLong();
    private final AtomicInteger problem = new AtomicInteger();
    private final Counter failures;
    private Instant anchoredTime;
    private Instant lastFailure;
    private long consecutiveFailures;
    private ChainHead pending;

    @Inject
    ChainAnchoring(AtrestConfig config, SecretSealer sealer, AuditRecordStore store, KmsAnchor kms, Clock clock,
                   MeterRegistry registry) {
        this(fileOf(config, sealer), store::macAt, kms, clock, config.audit().anchor().everyRecords(),
                config.audit().anchor().interval(), registry);
    }

    ChainAnchoring(Optional<AnchorFile> file, StoredMacs stored, AnchorCopies copies, Clock clock, long everyRecords,
                   Duration interval, MeterRegistry registry) {
        this.file = file;
        this.stored = stored;
        this.copies = copies;
        this.clock = clock;
        this.everyRecords = everyRecords;
        this.interval = interval;
        this.failures = Counter.builder("atrest.audit.anchor.failures")
                .description("anchor file writes that failed (retried)").register(registry);
        Gauge.builder("atrest.audit.anchor.sequence", anchoredSequence, AtomicLong::get)
                .description("the newest audit sequence anchored outside the database").register(registry);
        Gauge.builder("atrest.audit.anchor.problem", problem, AtomicInteger::get)
                .description("1 when the audit log contradicts its anchor or the anchor file does not verify (alert)")
                .register(registry);
        file.ifPresent(f -> f.read().newest(ChainAnchor.AUDIT).ifPresent(newest -> {
            anchoredSequence.set(newest.sequence());
            anchoredTime = newest.time();
        }));
    }

    private static Optional<AnchorFile> fileOf(AtrestConfig config, SecretSealer sealer) {
        AtrestConfig.AuditAnchor anchor = config.audit().anchor();
        if (!anchor.enabled()) {
            return Optional.empty();
        }
        try (KeyMaterial key = sealer.deriveKey(ANCHOR_KEY_PURPOSE)) {
            return Optional.of(new AnchorFile(AnchorLocation.resolve(config.dataDir(), anchor.file()), key,
                    anchor.history()));
        }
    }

    /** The anchor file, when anchoring is on. */
    public Optional<AnchorFile> file() {
        return file;
    }

    @Override
    public synchronized void appended(ChainHead head) {
        if (file.isEmpty()) {
            return;
        }
        pending = head;
        if (!pausedAfterFailure() && (head.lastSequence() - anchoredSequence.get() >= everyRecords || intervalPassed())) {
            anchorPending();
        }
    }

    @Override
    public synchronized void idle() {
        if (pending != null && !pausedAfterFailure() && intervalPassed()) {
            anchorPending();
        }
    }

    /** Raises the alert (metric {@code atrest.audit.anchor.problem}); the caller logs why. */
    void alert() {
        problem.set(1);
    }

    private boolean pausedAfterFailure() {
        return lastFailure != null && clock.instant().isBefore(lastFailure.plus(RETRY_AFTER_FAILURE));
    }

    private boolean intervalPassed() {
        return anchoredTime == null || !clock.instant().isBefore(anchoredTime.plus(interval));
    }

    private void anchorPending() {
        ChainHead head = pending;
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try {
            AnchorReading current = file.get().read();
            Optional<ChainAnchor> newest = current.newest(ChainAnchor.AUDIT);
            if (newest.isPresent() && !extends_(newest.get(), head)) {
                pending = null;
                return;
            }
            ChainAnchor anchor = new ChainAnchor(ChainAnchor.AUDIT, head.lastSequence(), head.lastMac(), now);
            var rejected = file.get().add(anchor);
            if (rejected != null) {
                alert();
                LOG.errorf("audit anchor: the anchor file did not verify (%s); it was moved to %s and a new one"
                        + " started", current.problem(), rejected);
            }
            anchoredSequence.set(anchor.sequence());
            anchoredTime = now;
            lastFailure = null;
            pending = null;
            copies.offer(anchor);
        } catch (IOException | SQLException | RuntimeException e) {
            lastFailure = now;
            failures.increment();
            // Every failure counts in the metric; the log says it at once and then every 30th (5 minutes).
            if (consecutiveFailures++ % 30 == 0) {
                LOG.errorf("audit anchor: anchoring record %d in %s failed (%d times in a row), retrying every %d s:"
                        + " %s", head.lastSequence(), file.get().path(), consecutiveFailures,
                        RETRY_AFTER_FAILURE.toSeconds(), e.toString());
            }
            return;
        }
        consecutiveFailures = 0;
    }

    /**
     * Whether {@code head} lies on the anchored chain beyond {@code anchored}. A head at or behind the anchor
     * is not anchored (nothing new, or another replica's later anchor); a chain that no longer holds the
     * anchored record with its MAC raises the alert and keeps the file as it is.
     */
    private boolean extends_(ChainAnchor anchored, ChainHead head) throws SQLException {
        if (head.lastSequence() < anchored.sequence()) {
            return false;
        }
        if (head.lastSequence() == anchored.sequence()) {
            return !MessageDigest.isEqual(head.lastMac(), anchored.mac()) ? contradicted(anchored, "has another MAC")
                    : false;
        }
        Optional<byte[]> there = stored.macAt(anchored.sequence());
        if (there.isEmpty()) {
            return true; // pruned by retention (whose checkpoint vouches for it): nothing left to compare
        }
        return MessageDigest.isEqual(there.get(), anchored.mac()) || contradicted(anchored, "has another MAC");
    }

    private boolean contradicted(ChainAnchor anchored, String how) {
        alert();
        LOG.errorf("audit anchor: record %d, anchored at %s, %s in the database: the audit log was rewritten or"
                + " rolled back; the anchor file is kept as it is (run VerifyAuditLog)", anchored.sequence(),
                anchored.time(), how);
        return false;
    }
}
