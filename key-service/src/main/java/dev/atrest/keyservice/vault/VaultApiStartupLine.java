package dev.atrest.keyservice.vault;

import dev.atrest.keyservice.config.AtrestConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * One start-up line that says whether the Vault API listens and the vault URL an engine is given, since
 * Quarkus' own line names only the port ("Listening on: ." when it is off).
 */
@ApplicationScoped
class VaultApiStartupLine {
    private static final Logger LOG = Logger.getLogger(VaultApiStartupLine.class);

    void announce(@Observes StartupEvent started, AtrestConfig config) {
        AtrestConfig.VaultApi api = config.vaultApi();
        if (!api.enabled()) {
            LOG.info("Vault API off (atrest.vault-api.enabled=false): engines cannot fetch keys over HTTP");
            return;
        }
        boolean tls = config.tls().certificateFile().isPresent() && config.tls().keyFile().isPresent();
        LOG.infof("Vault API (KV v2, read-only) on %s://%s:%d; an engine's vault URL is"
                        + " %s://%s:%d/v1/%s/<project_id>/<cluster_name>%s", tls ? "https" : "http", api.host(), api.port(),
                tls ? "https" : "http", api.host(), api.port(), VaultMount.PREFIX,
                tls ? "" : " (plaintext: tokens cross the network in the clear unless on loopback; set atrest.tls.*)");
    }
}
