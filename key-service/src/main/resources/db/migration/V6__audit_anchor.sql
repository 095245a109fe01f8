-- Audit retention (atrest.audit.retention): the oldest records are pruned in batches, and this one row says
-- where the stored chain now begins, so that verification starts here instead of at record 1. It names the
-- last pruned record (sequence, MAC, time: the next record chains from this MAC), how many were pruned in
-- all and when, and checkpoint_mac: HMAC-SHA256 over all of that under a key derived from the seal key
-- (audit/CheckpointSeal), which is never in the database. A checkpoint written or altered here does not
-- verify; one deleted makes verification start at record 1, which is gone. Either is reported.
-- The chain head itself is anchored outside the database (atrest.audit.anchor.file), not here.
CREATE TABLE audit_checkpoint (
    id                       TINYINT       NOT NULL PRIMARY KEY,
    sequence                 BIGINT        NOT NULL,
    mac                      BINARY(32)    NOT NULL,
    record_time              DATETIME(6)   NOT NULL,
    pruned_count             BIGINT        NOT NULL,
    checkpoint_time          DATETIME(6)   NOT NULL,
    checkpoint_mac           BINARY(32)    NOT NULL,
    CONSTRAINT ck_audit_checkpoint_one_row CHECK (id = 1)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
