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
 * Recognises the store being out of reach: MariaDB stopped, restarting or unreachable, a pooled
 * connection it closed, no connection free in the pool in time, or a Galera node that is not part of the
 * primary component (error 1047 "WSREP has not yet prepared node for application use", SQLSTATE 08S01). Nothing is wrong with the request; like any call left without an answer, a
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
    /**
     * Agroal's error when no connection became free within quarkus.datasource.jdbc.acquisition-timeout: every
     * pooled connection is busy, or new ones cannot be opened (the writer node died and the next is not yet
     * reachable). It carries no SQLSTATE.
     */
    private static final String ACQUISITION_TIMEOUT = "Acquisition timeout while waiting for new connection";
    /**
     * ER_UNKNOWN_STMT_HANDLER: a statement the driver prepared on the node it was connected to, sent after sequential
     * failover moved the connection to the next node, which never saw it. The statement did not run.
     */
    private static final int UNKNOWN_PREPARED_STATEMENT = 1243;

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
                || ACQUISITION_TIMEOUT.equals(sql.getMessage()) || sql.getErrorCode() == UNKNOWN_PREPARED_STATEMENT
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
