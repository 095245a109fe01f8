package dev.atrest.keyservice.domain;

/** The resource changed since the caller read it (etag mismatch, or a concurrent first write). */
public final class ConcurrentUpdateException extends AtrestException {
    public ConcurrentUpdateException(String message) {
        super(message);
    }
}
