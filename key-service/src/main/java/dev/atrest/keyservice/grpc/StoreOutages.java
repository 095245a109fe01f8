package dev.atrest.keyservice.grpc;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.hibernate.exception.JDBCConnectionException;

/**
 * Recognises the store being out of reach: MariaDB stopped, restarting or unreachable, or a pooled
 * connection it closed. Nothing is wrong with the request; like any call left without an answer, a
 * write may or may not have been committed, and the caller retries it (updates are idempotent upserts)
 * once the database is back.
 */
final class StoreOutages {
    /** SQLSTATE class 08: connection exception. */
    private static final String CONNECTION_EXCEPTION = "08";
    /**
     * Agroal's error when a pooled connection cannot join the transaction: the connection broke between
     * the pool's validation and its first use (the outage began just then). Agroal attaches no cause.
     */
    private static final String ENLIST_FAILED = "Exception in association of connection to existing transaction";

    private StoreOutages() {}

    /**
     * Looks through causes and suppressed exceptions: a commit the server broke off surfaces as the
     * transaction manager's RollbackException, with the driver's connection error only suppressed in it.
     */
    static boolean isOutage(Throwable failure) {
        return isOutage(failure, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static boolean isOutage(Throwable t, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return false;
        }
        if (t instanceof JDBCConnectionException || t instanceof SQLTransientConnectionException
                || t instanceof SQLNonTransientConnectionException || t instanceof ConnectException) {
            return true;
        }
        if (t instanceof SQLException sql && (ENLIST_FAILED.equals(sql.getMessage())
                || sql.getSQLState() != null && sql.getSQLState().startsWith(CONNECTION_EXCEPTION))) {
            return true;
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (isOutage(suppressed, seen)) {
                return true;
            }
        }
        return isOutage(t.getCause(), seen);
    }
}
