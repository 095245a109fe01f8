package dev.atrest.keyservice.audit;

import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The audit log. PLACEHOLDER until the hash-chained store lands: only logs the event.
 */
@ApplicationScoped
public class AuditLog {
    private static final Logger LOG = Logger.getLogger(AuditLog.class);

    /** Records {@code event}; never blocks on the database for long. */
    public void record(AuditEvent event) {
        LOG.debugf("audit %s", event);
    }
}
