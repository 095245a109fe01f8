package dev.atrest.keyservice.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Locks that make a job run on one replica at a time, held as a row lock in a transaction of their own
 * ({@code SELECT ... FOR UPDATE SKIP LOCKED}) for as long as the job runs. Nothing expires: when the
 * holder dies its connection closes, MariaDB rolls the transaction back, and the lock is free at once.
 * Another holder is never waited for: a job that finds its lock taken knows someone else is doing it.
 */
@ApplicationScoped
public class JobLocks {
    private final AgroalDataSource dataSource;

    JobLocks(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The lock named {@code name}, or empty when another holder (here or on another replica) has it. */
    public Optional<JobLock> tryLock(String name) {
        try {
            Connection connection = dataSource.getConnection();
            try {
                connection.setAutoCommit(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                // The row is created only when a plain read finds it missing: an INSERT IGNORE meeting
                // the row would wait for the holder's lock (duplicate checks lock), i.e. for its whole job.
                boolean held = lockRow(connection, name);
                if (!held && !exists(connection, name)) {
                    createIfMissing(name);
                    held = lockRow(connection, name);
                }
                if (held) {
                    return Optional.of(new JobLock(name, connection));
                }
                connection.rollback();
                connection.close();
                return Optional.empty();
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not take job lock " + name, e);
        }
    }

    private void createIfMissing(String name) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT IGNORE INTO job_lock (name) VALUES (?)")) {
            insert.setString(1, name);
            insert.executeUpdate();
        }
    }

    /** A non-locking read: whether the lock's row exists, held or not. */
    private static boolean exists(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM job_lock WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    private static boolean lockRow(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT name FROM job_lock WHERE name = ? FOR UPDATE SKIP LOCKED")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }
}
