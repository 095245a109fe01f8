package dev.atrest.keyservice.domain;

/**
 * The one family of errors the domain raises on purpose. Transport maps each kind to exactly one
 * status code in one place; anything outside this family is a bug and surfaces as INTERNAL.
 */
public abstract sealed class AtrestException extends RuntimeException
        permits InvalidArgumentException, PreconditionFailedException, NotFoundException,
                ConcurrentUpdateException, KmsUnavailableException, AuditBacklogException,
                UnauthenticatedException, PermissionDeniedException {

    protected AtrestException(String message) {
        super(message, null, false, false);
    }

    protected AtrestException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
