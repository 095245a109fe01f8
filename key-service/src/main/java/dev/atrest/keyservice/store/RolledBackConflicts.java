package dev.atrest.keyservice.store;

import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.hibernate.exception.LockAcquisitionException;

/**
 * Recognises a transaction that MariaDB rolled back because it lost a conflict: an InnoDB deadlock victim,
 * or on Galera a transaction that failed certification against a write committed through another node
 * (or was aborted by one being applied). Both are error 1213 ER_LOCK_DEADLOCK, SQLSTATE 40001, "try
 * restarting transaction". Nothing of such a transaction was committed, so re-running all of it is safe.
 * A connection lost around COMMIT is not one of these (its outcome is unknown): that is an outage.
 */
public final class RolledBackConflicts {
    /** MariaDB's ER_LOCK_DEADLOCK: a deadlock victim, or a Galera certification failure or brute-force abort. */
    private static final int LOCK_DEADLOCK = 1213;
    /** SQLSTATE 40001: serialization failure, the transaction was rolled back. */
    private static final String SERIALIZATION_FAILURE = "40001";
    /** Pauses before another try: short and jittered, so that the writers that collided do not collide again. */
    private static final long MAX_PAUSE_MILLIS = 50;

    private RolledBackConflicts() {}

    /**
     * Looks through causes and suppressed exceptions: a conflict found at COMMIT surfaces as the transaction
     * manager's RollbackException, with the driver's exception only suppressed in it.
     */
    public static boolean isRolledBack(Throwable failure) {
        return isRolledBack(failure, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    /** A jittered pause of up to 50 ms before a safe re-run; false when the thread was interrupted. */
    public static boolean pauseBeforeRetry() {
        try {
            Thread.sleep(1 + ThreadLocalRandom.current().nextLong(MAX_PAUSE_MILLIS));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean isRolledBack(Throwable t, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return false;
        }
        if (t instanceof SQLTransactionRollbackException || t instanceof LockAcquisitionException) {
            return true;
        }
        if (t instanceof SQLException sql
                && (sql.getErrorCode() == LOCK_DEADLOCK || SERIALIZATION_FAILURE.equals(sql.getSQLState()))) {
            return true;
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (isRolledBack(suppressed, seen)) {
                return true;
            }
        }
        return isRolledBack(t.getCause(), seen);
    }
}
