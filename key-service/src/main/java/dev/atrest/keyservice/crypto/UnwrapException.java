package dev.atrest.keyservice.crypto;

/**
 * A stored envelope did not open. Never a user mistake: it means tampering, a row moved to the
 * wrong place, or the wrong wrapping key, so it surfaces as an internal error and is logged.
 */
public final class UnwrapException extends RuntimeException {
    public UnwrapException(String message) {
        super(message);
    }
}
