package dev.atrest.keyservice.support;

import dev.atrest.keyservice.config.AtrestConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The settings a root-key provider reads, for tests that build one by hand outside the running service.
 * The rest of the service's settings are refused, so a provider that starts reading them is noticed.
 *
 * @param endpoint the KMS endpoint, or null for none (LOCAL only)
 */
public record ProviderConfig(Path dataDir, boolean localRootEnabled, URI endpoint, Duration callTimeout,
                             int maxAttempts) implements AtrestConfig {

    /** Reads LOCAL root keys from a service's data directory. */
    public static AtrestConfig local(Path dataDir) {
        return new ProviderConfig(dataDir, true, null, Duration.ofSeconds(1), 1);
    }

    /** Reaches KMS at {@code endpoint} with tight bounds: attempts of at most 1 s, {@code callTimeout} overall. */
    public static AtrestConfig aws(URI endpoint, Path dataDir, Duration callTimeout, int maxAttempts) {
        return new ProviderConfig(dataDir, false, endpoint, callTimeout, maxAttempts);
    }

    @Override
    public LocalRoot localRoot() {
        return () -> localRootEnabled;
    }

    @Override
    public Aws aws() {
        return new Aws() {
            public Optional<URI> endpointOverride() { return Optional.ofNullable(endpoint); }
            public Duration apiCallTimeout() { return callTimeout; }
            public Duration apiCallAttemptTimeout() { return Duration.ofSeconds(1); }
            public Duration connectTimeout() { return Duration.ofSeconds(1); }
            public int maxAttempts() { return maxAttempts; }
        };
    }

    @Override
    public Seal seal() {
        return new Seal() {
            public Optional<String> key() { return Optional.empty(); }
            public Optional<Path> keyFile() { return Optional.empty(); }
        };
    }

    @Override
    public EmbeddedDb embeddedDb() {
        return () -> false;
    }

    @Override
    public Rotation rotation() {
        throw new UnsupportedOperationException("a root-key provider reads no rotation settings");
    }

    @Override
    public Cache cache() {
        throw new UnsupportedOperationException("a root-key provider reads no cache settings");
    }

    @Override
    public Jobs jobs() {
        throw new UnsupportedOperationException("a root-key provider reads no job settings");
    }

    @Override
    public Validation validation() {
        throw new UnsupportedOperationException("a root-key provider reads no validation settings");
    }

    @Override
    public Auth auth() {
        throw new UnsupportedOperationException("a root-key provider reads no authentication settings");
    }

    @Override
    public Tls tls() {
        throw new UnsupportedOperationException("a root-key provider reads no TLS settings");
    }

    @Override
    public VaultApi vaultApi() {
        throw new UnsupportedOperationException("a root-key provider reads no Vault API settings");
    }

    @Override
    public Audit audit() {
        throw new UnsupportedOperationException("a root-key provider reads no audit settings");
    }

    @Override
    public Refusals refusals() {
        throw new UnsupportedOperationException("a root-key provider reads no refusal settings");
    }

    @Override
    public Metrics metrics() {
        throw new UnsupportedOperationException("a root-key provider reads no metrics settings");
    }
}
