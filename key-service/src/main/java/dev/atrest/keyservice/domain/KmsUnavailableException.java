package dev.atrest.keyservice.domain;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * KMS could not be reached or answered too slowly, after bounded retries. This is never a verdict
 * on the key: a CMK is only judged invalid on a definite answer from KMS.
 */
public final class KmsUnavailableException extends AtrestException {
    private final Duration retryAfter;
    private final Map<String, String> endpoint;

    public KmsUnavailableException(String message, Throwable cause) {
        this(message, cause, null, Map.of());
    }

    private KmsUnavailableException(String message, Throwable cause, Duration retryAfter, Map<String, String> endpoint) {
        super(message, cause);
        this.retryAfter = retryAfter;
        this.endpoint = Map.copyOf(endpoint);
    }

    /**
     * Refused without asking KMS: its endpoint failed call after call, and the next probe of it is due in
     * {@code retryAfter}. {@code endpoint} names the endpoint and region (never a key or a credential).
     */
    public static KmsUnavailableException refusedWhileDown(String message, Duration retryAfter,
                                                           Map<String, String> endpoint) {
        return new KmsUnavailableException(message, null, retryAfter, endpoint);
    }

    /** When to try again, if the service knows better than its default; present on a refusal without a call. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The endpoint and region that are down, on a refusal without a call; empty otherwise. */
    public Map<String, String> endpoint() {
        return endpoint;
    }

    /** True when KMS was not asked at all because its endpoint is known to be down. */
    public boolean refusedWithoutCall() {
        return retryAfter != null;
    }
}
