package dev.atrest.keyservice.masterkey;

/**
 * Something changed what may be served from a project's keys: its settings or CMK, the verdict of a
 * CMK check, a cluster's encryption, a finished rotation, a destroyed key version. Fired inside the
 * transaction that made the change; the data plane's caches ({@link ReleaseCache}, {@link MasterKeyCache})
 * drop the project's entries on this replica as soon as it commits.
 */
public record KeyAccessChanged(String projectId) {}
