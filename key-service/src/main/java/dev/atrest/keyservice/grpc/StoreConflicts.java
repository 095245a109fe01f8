package dev.atrest.keyservice.grpc;

import dev.atrest.keyservice.store.RolledBackConflicts;
import jakarta.persistence.OptimisticLockException;
import java.sql.SQLIntegrityConstraintViolationException;
import org.hibernate.StaleStateException;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.LockAcquisitionException;

/**
 * Recognises the store's ways of saying "someone else won the race": an optimistic-lock failure, a
 * duplicate key from two concurrent first writes, a deadlock victim or a Galera certification failure
 * ({@link RolledBackConflicts}). The caller can simply retry.
 */
final class StoreConflicts {
    private StoreConflicts() {}

    static boolean isConflict(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException
                    || t instanceof ConstraintViolationException || t instanceof LockAcquisitionException
                    || t instanceof SQLIntegrityConstraintViolationException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return RolledBackConflicts.isRolledBack(failure);
    }
}
