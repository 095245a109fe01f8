package dev.atrest.keyservice.access;

import dev.atrest.keyservice.domain.AccessToken;
import dev.atrest.keyservice.store.AccessTokenEntity;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Decides whether a token row read from the database is one the service wrote: its MAC verifies, and its
 * revocation is taken from the row or the ledger, whichever says revoked. A row that fails is reported and
 * treated as no token at all, so its holder gets what an unknown token gets.
 *
 * <p>At start-up, before any token row is written ({@link #setUp}), the one-time upgrade runs and the ledger
 * is loaded; token checks wait for that ({@link #awaitReady}), because the gRPC port may already be open and a
 * row not yet upgraded must not be taken for a forgery.
 */
@ApplicationScoped
public class TokenIntegrity {
    private final TokenMacs macs;
    private final RevocationLedger ledger;
    private final TokenIntegrityUpgrade upgrade;
    private final TamperReports reports;
    private final RevocationAnchor anchor;
    private final CountDownLatch ready = new CountDownLatch(1);

    TokenIntegrity(TokenMacs macs, RevocationLedger ledger, TokenIntegrityUpgrade upgrade, TamperReports reports,
                   RevocationAnchor anchor) {
        this.macs = macs;
        this.ledger = ledger;
        this.upgrade = upgrade;
        this.reports = reports;
        this.anchor = anchor;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION) StartupEvent started) {
        setUp();
    }

    /**
     * Runs the one-time upgrade, loads the ledger and checks it against its anchor, once per process.
     * Whatever writes a token row calls it first too (the bootstrap token, CreateAccessToken): a row MAC'd
     * before the upgrade ran would make the upgrade take the database for one whose marker was removed.
     */
    public void setUp() {
        if (ready.getCount() == 0) {
            return;
        }
        synchronized (this) {
            if (ready.getCount() > 0) {
                upgrade.runOnce();
                ledger.load();
                anchor.anchorHead(); // compared with the anchored head first: a clean rollback shows only there
                ready.countDown();
            }
        }
    }

    /** Whether start-up set token integrity up, waiting at most {@code limit} for it. */
    public boolean awaitReady(Duration limit) {
        try {
            return ready.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The MAC a new row for {@code token} is stored with (after the one-time upgrade, which it runs if due). */
    public byte[] rowMac(AccessToken token, String tokenSha256) {
        setUp();
        return macs.rowMac(token, tokenSha256);
    }

    /** Brings the revocations up to date; once before checking the rows of one read. */
    public void refreshRevocations() {
        ledger.refresh();
    }

    /** The token the row describes, revoked if the row or the ledger says so; empty (reported) if forged or altered. */
    public Optional<AccessToken> check(AccessTokenEntity row) {
        AccessToken token = row.toDomain();
        if (!macs.rowVerifies(token, row.tokenSha256, row.rowMac)) {
            reports.report(token.tokenId(), row.rowMac == null
                    ? "its row carries no MAC: it was inserted outside the service"
                    : "its row does not match its MAC: what it grants (secret hash, role, projects, expiry, name or"
                            + " creator) was changed, or it was inserted outside the service");
            return Optional.empty();
        }
        Optional<Instant> revokedInLedger = ledger.revokedAt(token.tokenId());
        if (token.revoked() || revokedInLedger.isEmpty()) {
            return Optional.of(token);
        }
        reports.report(token.tokenId(), "its row says it is not revoked, but the revocation ledger has it revoked"
                + " at " + revokedInLedger.get() + ": an un-revocation; it stays revoked");
        return Optional.of(new AccessToken(token.tokenId(), token.name(), token.role(), token.projectIds(),
                token.allProjects(), token.createTime(), token.expireTime(), revokedInLedger.get(), token.createdBy()));
    }
}
