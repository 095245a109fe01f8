package dev.atrest.keyservice.audit;

import java.sql.SQLException;
import java.util.List;

/** Where the writer appends: the database ({@code AuditRecordStore}), or a stand-in in tests. */
public interface AuditAppender {
    /**
     * Chains {@code pending} onto the stored log, in order and all or nothing, and returns the head it
     * leaves: the last sequence written and the MAC this service computed for it.
     */
    ChainHead append(List<PendingRecord> pending, AuditChain chain) throws SQLException;
}
