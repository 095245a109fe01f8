package dev.atrest.keyservice.grpc;

import dev.atrest.keyservice.domain.Provider;
import dev.atrest.v1.EncryptionAtRestProvider;

public final class Providers {
    private Providers() {}

    public static EncryptionAtRestProvider toMessage(Provider provider) {
        return switch (provider) {
            case AWS -> EncryptionAtRestProvider.AWS;
            case LOCAL -> EncryptionAtRestProvider.LOCAL;
            case NONE -> EncryptionAtRestProvider.NONE;
        };
    }

    /** The domain provider, or null when unset or unknown (the caller reports it as a field violation). */
    public static Provider fromMessage(EncryptionAtRestProvider provider) {
        return switch (provider) {
            case AWS -> Provider.AWS;
            case LOCAL -> Provider.LOCAL;
            case NONE -> Provider.NONE;
            case ENCRYPTION_AT_REST_PROVIDER_UNSPECIFIED, UNRECOGNIZED -> null;
        };
    }
}
