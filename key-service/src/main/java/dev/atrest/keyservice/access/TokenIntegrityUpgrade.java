package dev.atrest.keyservice.access;

import dev.atrest.keyservice.audit.AuditEvent;
import dev.atrest.keyservice.audit.AuditLog;
import dev.atrest.keyservice.store.AccessTokenEntity;
import dev.atrest.keyservice.store.AccessTokenLedgerHeadEntity;
import dev.atrest.keyservice.store.AccessTokenLedgerRepository;
import dev.atrest.keyservice.store.AccessTokenRepository;
import dev.atrest.keyservice.store.AccessTokenRevocationEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Sets token integrity up once, on the first start of a version that has it: rows made before (no MAC; SQL
 * cannot compute one, the key is not in the database) get their MAC, tokens already revoked enter the
 * ledger, and the ledger's head gets the genesis MAC, which marks the upgrade as done. From then on a row
 * without a valid MAC is a forgery.
 *
 * <p>The marker is the head's MAC: only the key's holder can write it, so it cannot be forged, only
 * removed. Removed while any row carries a MAC or the ledger holds an entry, that is tampering: reported,
 * and nothing is adopted. What this cannot tell apart from a database never upgraded is one rewound
 * completely (every MAC, the ledger and the marker removed); the head anchored outside the database can.
 * The rows adopted are those present at the upgrade, exactly what the previous version would have honoured.
 *
 * <p>Replicas upgrade together: a replica of the previous version still running writes rows without a MAC,
 * which this version refuses (and reports) as forgeries.
 */
@ApplicationScoped
public class TokenIntegrityUpgrade {
    private static final Logger LOG = Logger.getLogger(TokenIntegrityUpgrade.class);

    private final AccessTokenRepository tokens;
    private final AccessTokenLedgerRepository ledger;
    private final TokenMacs macs;
    private final TamperReports reports;
    private final AuditLog audit;

    TokenIntegrityUpgrade(AccessTokenRepository tokens, AccessTokenLedgerRepository ledger, TokenMacs macs,
                          TamperReports reports, AuditLog audit) {
        this.tokens = tokens;
        this.ledger = ledger;
        this.macs = macs;
        this.reports = reports;
        this.audit = audit;
    }

    /** Upgrades unless done already (by this replica, an earlier start or another replica). */
    public void runOnce() {
        String refused = adoptUnlessDone();
        if (refused != null) {
            reports.report("", refused);
        }
    }

    /** Null when done (now or before); otherwise why the rows are not adopted. */
    @Transactional(TxType.REQUIRES_NEW)
    String adoptUnlessDone() {
        AccessTokenLedgerHeadEntity head = ledger.head(true); // every replica starting now waits here
        if (head != null && head.lastMac != null) {
            return null;
        }
        if (head == null || head.lastSequence != 0 || ledger.count() > 0 || tokens.anyWithMac()) {
            return "the marker that token integrity was set up is gone while protected rows remain:"
                    + " rows without a MAC are not adopted";
        }
        adopt(head);
        return null;
    }

    private void adopt(AccessTokenLedgerHeadEntity head) {
        List<AccessTokenEntity> rows = tokens.listAll();
        rows.forEach(row -> tokens.setMissingMac(row.tokenId, macs.rowMac(row.toDomain(), row.tokenSha256)));
        long sequence = 0;
        byte[] mac = macs.genesis();
        List<AccessTokenEntity> revoked = rows.stream().filter(row -> row.revokeTime != null)
                .sorted(Comparator.comparing((AccessTokenEntity row) -> row.revokeTime).thenComparing(row -> row.tokenId))
                .toList();
        for (AccessTokenEntity row : revoked) {
            sequence++;
            mac = macs.revocationMac(mac, sequence, row.tokenId, row.revokeTime.truncatedTo(ChronoUnit.MICROS));
            ledger.persist(AccessTokenRevocationEntity.of(sequence, row.tokenId,
                    row.revokeTime.truncatedTo(ChronoUnit.MICROS), mac));
        }
        head.lastSequence = sequence;
        head.lastMac = mac;
        if (!rows.isEmpty()) {
            LOG.warnf("token integrity set up: %d access tokens made before it were adopted (%d of them revoked);"
                    + " from now on a token row without a valid MAC is refused", rows.size(), revoked.size());
        }
        audit.recordOnCommit(AuditEvent.byService("access-token.integrity-setup", "tokens", "OK",
                "adopted " + rows.size() + " tokens made before token integrity, " + revoked.size() + " revoked"));
    }
}
