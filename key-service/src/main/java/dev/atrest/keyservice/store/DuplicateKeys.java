package dev.atrest.keyservice.store;

import java.sql.SQLException;

/** Recognises MariaDB refusing a row because a unique key already holds its values. */
public final class DuplicateKeys {
    /** MariaDB's ER_DUP_ENTRY. */
    private static final int DUPLICATE_ENTRY = 1062;

    private DuplicateKeys() {}

    public static boolean isDuplicate(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == DUPLICATE_ENTRY) {
                return true;
            }
        }
        return false;
    }
}
