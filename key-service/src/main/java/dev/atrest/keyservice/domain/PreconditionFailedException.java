package dev.atrest.keyservice.domain;

import java.util.Map;

/**
 * The request is well formed but the system is not in a state that allows it. The reason is one of
 * the platform's error reasons; metadata carries machine-readable detail (which clusters, KMS's reason).
 */
public final class PreconditionFailedException extends AtrestException {
    private final Reason reason;
    private final Map<String, String> metadata;

    public PreconditionFailedException(Reason reason, String message, Map<String, String> metadata) {
        super(message);
        this.reason = reason;
        this.metadata = Map.copyOf(metadata);
    }

    public PreconditionFailedException(Reason reason, String message) {
        this(reason, message, Map.of());
    }

    public Reason reason() {
        return reason;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** The platform's vocabulary for refused state changes. */
    public enum Reason {
        ENCRYPTION_AT_REST_NOT_ENABLED,
        CANNOT_DISABLE_ENCRYPTION_AT_REST,
        CANNOT_CHANGE_ENCRYPTION_AT_REST_PROVIDER,
        ENCRYPTION_AT_REST_SETTINGS_INVALID,
        INVALID_ENCRYPTION_AT_REST_PROVIDER,
        INVALID_SNAPSHOT_RESTORE_ENCRYPTION,
        CMK_CHANGE_IN_PROGRESS,
        /** RotateDatabaseKey's expected_version is not the database key's current version: nothing was made. */
        DATABASE_KEY_VERSION_CHANGED
    }
}
