-- Bearer tokens for callers of the API. Only a token's SHA-256 is stored: the secret itself is shown once,
-- in the response that creates it. Tokens are revoked, never deleted, so the audit log's token ids keep
-- naming something.
CREATE TABLE access_token (
    token_id                 VARCHAR(64)   NOT NULL PRIMARY KEY,
    token_sha256             VARCHAR(64)   NOT NULL,
    name                     VARCHAR(64)   NOT NULL,
    role                     VARCHAR(16)   NOT NULL,
    all_projects             BOOLEAN       NOT NULL,
    create_time              DATETIME(6)   NOT NULL,
    expire_time              DATETIME(6)   NULL,
    revoke_time              DATETIME(6)   NULL,
    created_by               VARCHAR(255)  NOT NULL,
    CONSTRAINT uk_access_token_sha256 UNIQUE (token_sha256),
    INDEX ix_access_token_create (create_time)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The projects a token's role applies to (none when all_projects).
CREATE TABLE access_token_project (
    token_id                 VARCHAR(64)   NOT NULL,
    project_id               VARCHAR(64)   NOT NULL,
    PRIMARY KEY (token_id, project_id),
    INDEX ix_access_token_project (project_id),
    CONSTRAINT fk_access_token_project FOREIGN KEY (token_id) REFERENCES access_token (token_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
