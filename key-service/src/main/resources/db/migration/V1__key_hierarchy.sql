-- The key hierarchy. No column ever holds plaintext key material or a plaintext secret:
-- master keys are stored as root-key (KMS) ciphertext, database keys wrapped under a master key,
-- and AWS secret access keys sealed under the service's seal key.

CREATE TABLE project_encryption (
    id                       BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    project_id               VARCHAR(64)   NOT NULL,
    enabled                  BOOLEAN       NOT NULL,
    -- The last root key configured; kept after disable so retained master keys stay reachable.
    root_provider            VARCHAR(8)    NULL,
    aws_cmk_id               VARCHAR(2048) NULL,
    aws_region               VARCHAR(32)   NULL,
    aws_role_arn             VARCHAR(2048) NULL,
    aws_external_id          VARCHAR(1224) NULL,
    aws_access_key_id        VARCHAR(128)  NULL,
    aws_secret_sealed        VARBINARY(512) NULL,
    local_key_id             VARCHAR(64)   NULL,
    valid                    BOOLEAN       NOT NULL,
    validation_error         VARCHAR(2048) NULL,
    cmk_last_changed_time    DATETIME(6)   NULL,
    last_validated_time      DATETIME(6)   NULL,
    row_version              BIGINT        NOT NULL,
    create_time              DATETIME(6)   NOT NULL,
    update_time              DATETIME(6)   NOT NULL,
    CONSTRAINT uk_project_encryption UNIQUE (project_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE cluster_encryption (
    id                       BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    project_id               VARCHAR(64)   NOT NULL,
    cluster_name             VARCHAR(64)   NOT NULL,
    provider                 VARCHAR(8)    NOT NULL,
    state                    VARCHAR(16)   NOT NULL,
    master_key_version       INT           NOT NULL,
    row_version              BIGINT        NOT NULL,
    create_time              DATETIME(6)   NOT NULL,
    update_time              DATETIME(6)   NOT NULL,
    CONSTRAINT uk_cluster_encryption UNIQUE (project_id, cluster_name),
    CONSTRAINT fk_cluster_project FOREIGN KEY (project_id) REFERENCES project_encryption (project_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE master_key (
    id                       BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    project_id               VARCHAR(64)   NOT NULL,
    cluster_name             VARCHAR(64)   NOT NULL,
    version                  INT           NOT NULL,
    state                    VARCHAR(16)   NOT NULL,
    -- Which root key wraps it: the provider, and the CMK's key ARN (AWS) or "local:ID" (LOCAL).
    wrapping_provider        VARCHAR(8)    NOT NULL,
    wrapping_key_id          VARCHAR(2048) NOT NULL,
    wrapping_region          VARCHAR(32)   NULL,
    -- Root-key ciphertext; NULL once destroyed (metadata is kept for the record).
    wrapped_key              VARBINARY(6144) NULL,
    create_time              DATETIME(6)   NOT NULL,
    update_time              DATETIME(6)   NOT NULL,
    CONSTRAINT uk_master_key UNIQUE (project_id, cluster_name, version),
    CONSTRAINT fk_master_key_cluster FOREIGN KEY (project_id, cluster_name)
        REFERENCES cluster_encryption (project_id, cluster_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE database_key (
    id                       BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    project_id               VARCHAR(64)   NOT NULL,
    cluster_name             VARCHAR(64)   NOT NULL,
    database_name            VARCHAR(64)   NOT NULL,
    version                  INT           NOT NULL,
    state                    VARCHAR(16)   NOT NULL,
    -- The master-key version whose key wraps it (AES-256-GCM; the AAD names this row's place).
    master_key_version       INT           NOT NULL,
    wrapped_key              VARBINARY(128) NULL,
    create_time              DATETIME(6)   NOT NULL,
    update_time              DATETIME(6)   NOT NULL,
    CONSTRAINT uk_database_key UNIQUE (project_id, cluster_name, database_name, version),
    CONSTRAINT fk_database_key_master FOREIGN KEY (project_id, cluster_name, master_key_version)
        REFERENCES master_key (project_id, cluster_name, version)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
