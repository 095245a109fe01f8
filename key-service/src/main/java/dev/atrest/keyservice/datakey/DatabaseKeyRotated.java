package dev.atrest.keyservice.datakey;

/**
 * A new version of a database's key is its current one. Fired inside the transaction that stored it;
 * {@link ReleaseCache} drops the database's current-key entry on this replica as soon as it commits.
 */
record DatabaseKeyRotated(String projectId, String clusterName, String databaseName) {}
