package dev.atrest.keyservice.kms;

import dev.atrest.keyservice.domain.AwsKmsSettings;
import dev.atrest.keyservice.domain.RootKeyConfig;
import java.util.Optional;

/** Wipes unsealed secrets once a KMS call no longer needs them. */
public final class Secrets {
    private Secrets() {}

    public static void clear(RootKeyConfig root) {
        if (root instanceof AwsKmsSettings aws && aws.secretAccessKey() != null) {
            aws.secretAccessKey().clear();
        }
    }

    public static void clear(Optional<RootKeyConfig> root) {
        root.ifPresent(Secrets::clear);
    }
}
