package dev.atrest.keyservice.domain;

import java.util.List;

/** A cluster's key hierarchy without key material: master-key versions (newest first) and database keys. */
public record ClusterKeys(List<MasterKeyVersion> masterKeys, List<DatabaseKeyInfo> databaseKeys) {}
