package dev.atrest.keyservice.domain;

/**
 * The call presented no identity, or one the service does not accept. The message says which (no
 * credentials, malformed, unknown, expired or revoked token, untrusted certificate) and never repeats a
 * secret.
 */
public final class UnauthenticatedException extends AtrestException {
    public UnauthenticatedException(String message) {
        super(message);
    }
}
