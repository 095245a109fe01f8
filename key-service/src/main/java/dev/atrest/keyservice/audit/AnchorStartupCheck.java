package dev.atrest.keyservice.audit;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * At start-up, compares the stored audit log with the newest anchored head, cheaply (the head row and one
 * record, not a walk of the whole chain): a log rolled back or rewritten while the service was down is
 * reported at once, as an ERROR, the alert metric ({@code atrest.audit.anchor.problem}) and an audit record,
 * instead of waiting for the next VerifyAuditLog. It does not stop the service: refusing key releases over
 * an audit finding would turn every tampering into an outage; the finding stays visible until resolved.
 */
@ApplicationScoped
class AnchorStartupCheck {
    private static final Logger LOG = Logger.getLogger(AnchorStartupCheck.class);

    private final ChainAnchoring anchoring;
    private final AuditRecordStore records;
    private final AuditCheckpointStore checkpoints;
    private final CheckpointSeal seal;
    private final AuditLog log;

    AnchorStartupCheck(ChainAnchoring anchoring, AuditRecordStore records, AuditCheckpointStore checkpoints,
                       CheckpointSeal seal, AuditLog log) {
        this.anchoring = anchoring;
        this.records = records;
        this.checkpoints = checkpoints;
        this.seal = seal;
        this.log = log;
    }

    void onStart(@Observes StartupEvent started) {
        if (anchoring.file().isEmpty()) {
            LOG.warn("""

                    ************************************************************************************
                    *  AUDIT ANCHOR OFF (atrest.audit.anchor.enabled=false): whoever can write to the  *
                    *  database can roll the audit log back (restore an older copy, or delete its      *
                    *  end and rewind its head) and VerifyAuditLog will not notice.                    *
                    ************************************************************************************""");
            return;
        }
        check().ifPresent(problem -> {
            anchoring.alert();
            LOG.errorf("audit anchor: %s", problem);
            log.recordFact(AuditEvent.byService("audit.anchor.check", "", "MISMATCH", problem));
        });
    }

    /** A retention checkpoint that does not verify: someone moved where the chain begins. */
    private Optional<String> checkpointProblem() {
        try {
            return checkpoints.checkpoint().filter(c -> !seal.verifies(c)).map(c -> "the audit retention checkpoint"
                    + " after record " + c.sequence() + " does not match its MAC (forged or altered)");
        } catch (SQLException e) {
            return Optional.empty(); // reported below, with the rest of the log, if the database is down
        }
    }

    /** What is wrong between the stored log and the anchor file; empty when they agree (or nothing is anchored). */
    Optional<String> check() {
        AnchorFile file = anchoring.file().orElseThrow();
        AnchorReading reading = file.read();
        if (reading.status() == AnchorReading.Status.INVALID) {
            return Optional.of(reading.problem());
        }
        Optional<String> checkpoint = checkpointProblem();
        if (checkpoint.isPresent()) {
            return checkpoint;
        }
        Optional<ChainAnchor> newest = reading.newest(ChainAnchor.AUDIT);
        if (newest.isEmpty()) {
            LOG.infof("audit anchor: nothing anchored in %s yet; anchoring from now on", file.path());
            return Optional.empty();
        }
        ChainAnchor anchor = newest.get();
        try {
            ChainHead head = records.head();
            if (head.lastSequence() < anchor.sequence()) {
                return Optional.of("the audit log ends at record " + head.lastSequence() + " but record "
                        + anchor.sequence() + " was anchored in " + file.path() + " at " + anchor.time()
                        + ": the log was rolled back (records deleted, or an older copy restored)");
            }
            Optional<byte[]> there = records.macAt(anchor.sequence());
            if (there.isEmpty()) {
                long pruned = checkpoints.checkpoint().map(AuditCheckpoint::sequence).orElse(0L);
                return pruned >= anchor.sequence() ? Optional.empty() : Optional.of("record " + anchor.sequence()
                        + ", anchored at " + anchor.time() + ", is missing from the audit log (deleted)");
            }
            if (!MessageDigest.isEqual(there.get(), anchor.mac())) {
                return Optional.of("record " + anchor.sequence() + " differs from the one anchored at " + anchor.time()
                        + ": the audit log was rewritten or rolled back");
            }
            LOG.infof("audit anchor: the audit log holds record %d as anchored at %s", anchor.sequence(), anchor.time());
            return Optional.empty();
        } catch (SQLException e) {
            LOG.warnf("audit anchor: the start-up comparison could not read the audit log: %s", e.toString());
            return Optional.empty();
        }
    }
}
