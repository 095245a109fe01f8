package dev.atrest.keyservice.domain;

/** The resource changed since the caller read it (etag mismatch, or a concurrent first write). */
public final class ConcurrentModificationException extends AtrestException {
    public ConcurrentModificationException(String message) {
        super(message);
    }
}
