-- Keys over time: master-key rotation, CMK changes, alerts and snapshots.

-- The CMK-age alert threshold, and which root key is current: every CMK change starts a new
-- generation, and each master key records the generation of the root key that wraps it.
ALTER TABLE project_encryption
    ADD COLUMN cmk_rotation_alert_days INT NOT NULL DEFAULT 365,
    ADD COLUMN root_key_generation     INT NOT NULL DEFAULT 1;

ALTER TABLE master_key
    ADD COLUMN root_key_generation     INT NOT NULL DEFAULT 1;

-- A CMK change in progress: how to reach the root key being left, until every master key has moved
-- off it. The row exists exactly while the change is unfinished.
CREATE TABLE cmk_change (
    project_id               VARCHAR(64)   NOT NULL PRIMARY KEY,
    from_generation          INT           NOT NULL,
    from_provider            VARCHAR(8)    NOT NULL,
    from_aws_cmk_id          VARCHAR(2048) NULL,
    from_aws_region          VARCHAR(32)   NULL,
    from_aws_role_arn        VARCHAR(2048) NULL,
    from_aws_external_id     VARCHAR(1224) NULL,
    from_aws_access_key_id   VARCHAR(128)  NULL,
    from_aws_secret_sealed   VARBINARY(512) NULL,
    from_local_key_id        VARCHAR(64)   NULL,
    started_time             DATETIME(6)   NOT NULL,
    last_error               VARCHAR(2048) NULL,
    CONSTRAINT fk_cmk_change_project FOREIGN KEY (project_id) REFERENCES project_encryption (project_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Rotation: the period, when the current master key became active (a rotation is due one period
-- later), and the re-wrap phase (rotation_started_time is set from the moment the new master key is
-- stored until every database key is wrapped under it).
ALTER TABLE cluster_encryption
    ADD COLUMN rotation_period_days    INT           NOT NULL DEFAULT 90,
    ADD COLUMN master_key_activated_time DATETIME(6) NULL,
    ADD COLUMN rotation_started_time   DATETIME(6)   NULL,
    ADD COLUMN last_rotation_time      DATETIME(6)   NULL,
    ADD COLUMN rotation_error          VARCHAR(2048) NULL;

UPDATE cluster_encryption c
    JOIN master_key m ON m.project_id = c.project_id AND m.cluster_name = c.cluster_name
                     AND m.version = c.master_key_version
    SET c.master_key_activated_time = m.create_time;

-- The re-wrap scan: a cluster's keys still wrapped by an older master-key version, in id order.
CREATE INDEX ix_database_key_wrapping ON database_key (project_id, cluster_name, master_key_version, id);

CREATE TABLE key_alert (
    id                       BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    project_id               VARCHAR(64)   NOT NULL,
    type                     VARCHAR(32)   NOT NULL,
    detail                   VARCHAR(2048) NULL,
    opened_time              DATETIME(6)   NOT NULL,
    closed_time              DATETIME(6)   NULL,
    INDEX ix_key_alert_project (project_id, opened_time),
    CONSTRAINT fk_key_alert_project FOREIGN KEY (project_id) REFERENCES project_encryption (project_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE cluster_snapshot (
    id                       BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    project_id               VARCHAR(64)   NOT NULL,
    cluster_name             VARCHAR(64)   NOT NULL,
    snapshot_id              VARCHAR(64)   NOT NULL,
    master_key_version       INT           NOT NULL,
    create_time              DATETIME(6)   NOT NULL,
    CONSTRAINT uk_cluster_snapshot UNIQUE (project_id, cluster_name, snapshot_id),
    CONSTRAINT fk_cluster_snapshot_cluster FOREIGN KEY (project_id, cluster_name)
        REFERENCES cluster_encryption (project_id, cluster_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE cluster_snapshot_database_key (
    snapshot_row_id          BIGINT        NOT NULL,
    database_name            VARCHAR(64)   NOT NULL,
    version                  INT           NOT NULL,
    PRIMARY KEY (snapshot_row_id, database_name),
    CONSTRAINT fk_snapshot_database_key FOREIGN KEY (snapshot_row_id)
        REFERENCES cluster_snapshot (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per job that must run on one replica at a time (e.g. "rotate:PROJECT/CLUSTER"). A replica
-- holds the row with SELECT ... FOR UPDATE SKIP LOCKED in a transaction of its own for as long as the
-- job runs; if it dies, its connection closes and the lock is free again.
CREATE TABLE job_lock (
    name                     VARCHAR(191)  NOT NULL PRIMARY KEY
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
