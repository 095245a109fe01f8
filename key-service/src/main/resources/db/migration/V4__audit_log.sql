-- The audit log: an append-only chain of records. Each record's mac is HMAC-SHA256 over the previous
-- record's mac and this record's fields, keyed from the seal key (which is never in the database), so a
-- record changed, inserted or deleted here breaks the chain where it happened (audit/AuditChain).
CREATE TABLE audit_record (
    sequence                 BIGINT        NOT NULL PRIMARY KEY,
    record_time              DATETIME(6)   NOT NULL,
    actor                    VARCHAR(255)  NOT NULL,
    action                   VARCHAR(255)  NOT NULL,
    resource                 VARCHAR(512)  NOT NULL,
    outcome                  VARCHAR(64)   NOT NULL,
    detail                   VARCHAR(1024) NOT NULL,
    mac                      BINARY(32)    NOT NULL,
    -- ListAuditRecords filtered by project.
    INDEX ix_audit_record_resource (resource, sequence)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Where the chain ends. Every append locks this one row (SELECT ... FOR UPDATE), which also makes the
-- writers of several replicas on one database take turns; verification compares it with the last record,
-- so deleting records from the end shows too.
CREATE TABLE audit_head (
    id                       TINYINT       NOT NULL PRIMARY KEY,
    last_sequence            BIGINT        NOT NULL,
    last_mac                 BINARY(32)    NOT NULL,
    CONSTRAINT ck_audit_head_one_row CHECK (id = 1)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Record 1 chains from an all-zero mac.
INSERT INTO audit_head (id, last_sequence, last_mac) VALUES (1, 0, REPEAT(X'00', 32));
