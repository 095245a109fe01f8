-- Access tokens authenticated under a key that is never in the database (derived from the seal key; see
-- access/TokenMacs), so that someone who can only write to the database cannot make a token work.

-- HMAC-SHA256 over everything a token grants and the hash of its secret. NULL only on rows created before
-- this version: the service MACs those once, at the first start of this version (access/TokenIntegrityUpgrade),
-- and from then on refuses a row without a valid MAC as a forgery.
ALTER TABLE access_token ADD COLUMN row_mac VARBINARY(32) NULL;

-- Revocations as an append-only chain: entry n's mac is HMAC(key, mac of entry n-1 (or the genesis) ||
-- n || token id || revoke time). Restoring a token row as it was before its revocation does not bring it
-- back: the ledger still names it, and removing the entry breaks the chain (or moves the head backwards,
-- which every replica that saw the head further on reports).
CREATE TABLE access_token_revocation (
    sequence                 BIGINT        NOT NULL PRIMARY KEY,
    token_id                 VARCHAR(64)   NOT NULL,
    revoke_time              DATETIME(6)   NOT NULL,
    mac                      VARBINARY(32) NOT NULL,
    CONSTRAINT uk_access_token_revocation_token UNIQUE (token_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Where the ledger ends; every revocation locks this one row. mac NULL means "token integrity not set up
-- yet": the upgrade sets it to the genesis MAC, which only the key's holder can compute.
CREATE TABLE access_token_ledger_head (
    id                       TINYINT       NOT NULL PRIMARY KEY,
    last_sequence            BIGINT        NOT NULL,
    last_mac                 VARBINARY(32) NULL,
    CONSTRAINT ck_access_token_ledger_head_one_row CHECK (id = 1)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT INTO access_token_ledger_head (id, last_sequence, last_mac) VALUES (1, 0, NULL);
