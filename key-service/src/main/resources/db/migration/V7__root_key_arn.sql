-- The key a project's configured root key resolved to when it was last stored or moved to: the CMK's key
-- ARN as KMS names it (the configured id may be an alias, whose target can move), or "local:ID" for
-- LOCAL. Whether the root key changed is decided by this, not by the configured string. NULL for rows
-- stored before it existed: the next health check records it.
ALTER TABLE project_encryption ADD COLUMN root_key_arn VARCHAR(2048) NULL AFTER local_key_id;
