package dev.atrest.keyservice.access;

import dev.atrest.keyservice.domain.AccessToken;
import dev.atrest.keyservice.domain.BearerTokens;
import dev.atrest.keyservice.domain.Caller;
import dev.atrest.keyservice.domain.Role;
import dev.atrest.keyservice.store.AccessTokenEntity;
import dev.atrest.keyservice.store.AccessTokenRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The first administrator token, so that a new deployment can be reached at all. Created once, when no
 * token was ever created: adopted from the bootstrap file when one is there (so an operator or a test
 * can choose it), else generated and written to that file. Its id is fixed, so two replicas starting
 * on one empty database cannot both create one: the second insert fails on the primary key and that
 * replica removes the file it wrote.
 */
@ApplicationScoped
public class BootstrapToken {
    public static final String TOKEN_ID = "tok-bootstrap";
    private static final Logger LOG = Logger.getLogger(BootstrapToken.class);

    private final AccessTokenRepository rows;
    private final TokenIntegrity integrity;
    private final SecureRandom random;
    private final Clock clock;
    /**
     * Opens once start-up has created the bootstrap token or found it unneeded. The gRPC port opens before
     * start-up observers run, so a client holding the bootstrap token (an adopted file is there before the
     * service starts) can call before its row exists; token checks wait for this instead of refusing it.
     */
    private final CountDownLatch settled = new CountDownLatch(1);

    BootstrapToken(AccessTokenRepository rows, TokenIntegrity integrity, SecureRandom random, Clock clock) {
        this.rows = rows;
        this.integrity = integrity;
        this.random = random;
        this.clock = clock;
    }

    /** Creates the bootstrap token unless some token exists already. */
    public void createIfNone(Path file) {
        try {
            create(file);
        } finally {
            settled.countDown();
        }
    }

    /** Whether start-up has finished with the bootstrap token (always, after the first moments). */
    boolean isSettled() {
        return settled.getCount() == 0;
    }

    /** Waits at most {@code limit} for start-up to finish with the bootstrap token. */
    void awaitSettled(Duration limit) {
        try {
            settled.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void create(Path file) {
        if (anyTokenExists()) {
            LOG.debugf("access tokens exist: no bootstrap token needed");
            return;
        }
        BootstrapTokenFile.Secret secret = BootstrapTokenFile.readOrCreate(file, random);
        try {
            AccessToken token = new AccessToken(TOKEN_ID, "bootstrap", Role.ADMIN, Set.of(), true, clock.instant(),
                    null, null, Caller.SERVICE);
            String sha256 = BearerTokens.sha256Hex(secret.value());
            store(AccessTokenEntity.of(token, sha256, integrity.rowMac(token, sha256)));
        } catch (RuntimeException lostOrFailed) {
            if (secret.createdHere()) {
                BootstrapTokenFile.delete(file);
            }
            if (anyTokenExists()) {
                LOG.infof("another replica created the bootstrap admin token first; use the file it wrote");
                return;
            }
            throw lostOrFailed;
        }
        LOG.infof("created the bootstrap admin token (all projects); its secret is in %s", file.toAbsolutePath());
    }

    @Transactional(TxType.REQUIRES_NEW)
    boolean anyTokenExists() {
        return rows.anyExists();
    }

    @Transactional(TxType.REQUIRES_NEW)
    void store(AccessTokenEntity row) {
        rows.persist(row);
    }
}
