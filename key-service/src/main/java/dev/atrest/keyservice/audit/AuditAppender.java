package dev.atrest.keyservice.audit;

import java.sql.SQLException;
import java.util.List;

/** Where the writer appends: the database ({@code store.AuditRecordStore}), or a stand-in in tests. */
public interface AuditAppender {
    /**
     * Chains {@code pending} onto the stored log, in order and all or nothing, and returns the last
     * sequence written.
     */
    long append(List<PendingRecord> pending, AuditChain chain) throws SQLException;
}
