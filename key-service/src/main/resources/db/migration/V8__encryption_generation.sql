-- Which incarnation of a project's or cluster's encryption a row holds: 0 while it has never been
-- enabled, +1 each time it is switched on from NONE; changes in place keep it. Clients (the Terraform
-- provider) remember it to tell the incarnation they enabled from a later one. Rows enabled at least
-- once before this column existed count as their first incarnation.
ALTER TABLE project_encryption ADD COLUMN encryption_generation BIGINT NOT NULL DEFAULT 0;
UPDATE project_encryption SET encryption_generation = 1 WHERE enabled OR root_provider IS NOT NULL;

ALTER TABLE cluster_encryption ADD COLUMN encryption_generation BIGINT NOT NULL DEFAULT 0;
UPDATE cluster_encryption SET encryption_generation = 1 WHERE state = 'ENABLED' OR master_key_version > 0;
