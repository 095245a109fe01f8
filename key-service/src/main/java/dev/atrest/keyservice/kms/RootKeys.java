package dev.atrest.keyservice.kms;

import dev.atrest.keyservice.config.AtrestConfig;
import dev.atrest.keyservice.domain.PreconditionFailedException;
import dev.atrest.keyservice.domain.PreconditionFailedException.Reason;
import dev.atrest.keyservice.domain.Provider;
import dev.atrest.keyservice.domain.RootKeyConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import org.jboss.logging.Logger;

/** Picks the root-key provider for a configuration, and refuses LOCAL unless the service enables it. */
@ApplicationScoped
public class RootKeys {
    private static final Logger LOG = Logger.getLogger(RootKeys.class);

    private final AwsKmsRootKeyProvider aws;
    private final LocalRootKeyProvider local;
    private final boolean localEnabled;

    public RootKeys(AwsKmsRootKeyProvider aws, LocalRootKeyProvider local, AtrestConfig config) {
        this.aws = aws;
        this.local = local;
        this.localEnabled = config.localRoot().enabled();
    }

    void announce(@Observes StartupEvent started) {
        if (localEnabled) {
            LOG.warn("the LOCAL root-key provider is enabled: root keys are plain files under the data "
                    + "directory. This is for development and demos only, NOT for production.");
        }
    }

    public RootKeyProvider forConfig(RootKeyConfig config) {
        return forProvider(config.provider());
    }

    public RootKeyProvider forProvider(Provider provider) {
        return switch (provider) {
            case AWS -> aws;
            case LOCAL -> {
                if (!localEnabled) {
                    throw new PreconditionFailedException(Reason.INVALID_ENCRYPTION_AT_REST_PROVIDER,
                            "the LOCAL provider is disabled on this service (atrest.local-root.enabled=false); "
                                    + "use AWS KMS",
                            Map.of("provider", "LOCAL"));
                }
                yield local;
            }
            case NONE -> throw new IllegalArgumentException("NONE has no root key");
        };
    }
}
