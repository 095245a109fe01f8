package dev.atrest.keyservice.store;

import java.sql.Connection;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/** A held job lock; closing it (or the process dying) releases it. */
public final class JobLock implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JobLock.class);

    private final String name;
    private final Connection connection;

    JobLock(String name, Connection connection) {
        this.name = name;
        this.connection = connection;
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        try (connection) {
            connection.rollback();
        } catch (SQLException e) {
            // The connection is gone, and with it the lock: nothing is left to release.
            LOG.debugf("job lock %s: release failed (%s); the lock went with its connection", name, e.getMessage());
        }
    }
}
