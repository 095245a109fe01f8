package dev.atrest.keyservice.domain;

/**
 * KMS could not be reached or answered too slowly, after bounded retries. This is never a verdict
 * on the key: a CMK is only judged invalid on a definite answer from KMS.
 */
public final class KmsUnavailableException extends AtrestException {
    public KmsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
