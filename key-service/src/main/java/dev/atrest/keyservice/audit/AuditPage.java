package dev.atrest.keyservice.audit;

import java.util.List;

/** One page of audit records, oldest first; {@code nextAfterSequence} is 0 on the last page. */
public record AuditPage(List<StoredRecord> records, long nextAfterSequence) {
    /** {@code records} holds up to {@code size + 1} records; the extra one only says another page exists. */
    static AuditPage of(List<StoredRecord> records, int size) {
        if (records.size() <= size) {
            return new AuditPage(records, 0);
        }
        List<StoredRecord> page = records.subList(0, size);
        return new AuditPage(page, page.get(size - 1).sequence());
    }
}
