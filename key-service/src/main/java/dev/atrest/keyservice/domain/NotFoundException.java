package dev.atrest.keyservice.domain;

/** The named resource does not exist. */
public final class NotFoundException extends AtrestException {
    public NotFoundException(String message) {
        super(message);
    }
}
