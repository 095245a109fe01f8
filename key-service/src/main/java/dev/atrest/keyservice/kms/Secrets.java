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

    /**
     * The same root key with a secret of its own, for use after the original's is cleared (a KMS call made
     * once the transaction that unsealed it has ended). Clear it after use too.
     */
    public static RootKeyConfig copyOf(RootKeyConfig root) {
        if (root instanceof AwsKmsSettings aws && aws.secretAccessKey() != null) {
            return aws.withSecret(aws.secretAccessKey().copy());
        }
        return root;
    }
}
