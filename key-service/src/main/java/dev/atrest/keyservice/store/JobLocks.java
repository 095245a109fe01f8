package dev.atrest.keyservice.store;

import dev.atrest.keyservice.config.AtrestConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Locks that make a job run on one replica at a time, held as leases with a fencing token in the
 * {@code job_lock} table. Taking, renewing and releasing one is a single autocommit UPDATE, so no
 * connection stays pinned while a job runs, and on Galera the lease is replicated like any write (a row
 * lock lives on one node only). Lease times are on the database's clock, never a replica's. A holder that
 * dies leaves its lease to run out ({@code atrest.jobs.lease-duration}); then another replica takes over,
 * and the old holder's steps, should it come back, fail their {@link JobLock#fence()} and commit nothing.
 * Another holder is never waited for: a job that finds its lock taken knows someone else is doing it.
 */
@ApplicationScoped
public class JobLocks {
    private static final Logger LOG = Logger.getLogger(JobLocks.class);
    private static final String TAKE = "UPDATE job_lock SET holder = ?, fence = LAST_INSERT_ID(fence + 1),"
            + " lease_until = NOW(6) + INTERVAL ? MICROSECOND"
            + " WHERE name = ? AND (holder IS NULL OR lease_until < NOW(6))";
    private static final String RENEW = "UPDATE job_lock SET lease_until = NOW(6) + INTERVAL ? MICROSECOND"
            + " WHERE name = ? AND fence = ?";
    private static final String RELEASE = "UPDATE job_lock SET holder = NULL, lease_until = NULL"
            + " WHERE name = ? AND fence = ?";

    private final AgroalDataSource dataSource;
    private final EntityManager entityManager;
    private final long leaseMicros;
    private final String holder;
    private final Set<JobLock> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heartbeat;

    @Inject
    JobLocks(AgroalDataSource dataSource, EntityManager entityManager, AtrestConfig config) {
        this(dataSource, entityManager, config.jobs().leaseDuration(), true);
    }

    /** With {@code heartbeat} false nothing renews the leases: a holder that has stopped, for tests. */
    JobLocks(AgroalDataSource dataSource, EntityManager entityManager, Duration lease, boolean heartbeat) {
        checkLease(lease);
        this.dataSource = dataSource;
        this.entityManager = entityManager;
        this.leaseMicros = TimeUnit.NANOSECONDS.toMicros(lease.toNanos());
        byte[] suffix = new byte[6];
        new SecureRandom().nextBytes(suffix);
        this.holder = ManagementFactory.getRuntimeMXBean().getName() + "/" + HexFormat.of().formatHex(suffix);
        this.heartbeat = heartbeat ? Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "atrest-job-lock-heartbeat");
            thread.setDaemon(true);
            return thread;
        }) : null;
        if (this.heartbeat != null) {
            long every = Math.max(1, leaseMicros / 3);
            this.heartbeat.scheduleWithFixedDelay(this::renewAll, every, every, TimeUnit.MICROSECONDS);
        }
    }

    /** Refuses a lease that could never be renewed in time. */
    public static void checkLease(Duration lease) {
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalStateException("atrest.jobs.lease-duration must be above 0, not " + lease
                    + " (a job lock must stay held for a while: the default is 30s)");
        }
    }

    /** The lock named {@code name}, or empty when another holder (here or on another replica) has it. */
    public Optional<JobLock> tryLock(String name) {
        if (QuarkusTransaction.isActive()) {
            // Inside a transaction the UPDATE would commit (and free the row for others) only with it.
            throw new IllegalStateException("job lock " + name + " taken inside a transaction");
        }
        try (Connection connection = dataSource.getConnection()) {
            OptionalLong fence = take(connection, name);
            if (fence.isEmpty()) {
                // A missing row is created, then taken like any other. The INSERT waits for nobody: no
                // holder keeps a transaction open on the row.
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT IGNORE INTO job_lock (name) VALUES (?)")) {
                    insert.setString(1, name);
                    if (insert.executeUpdate() == 1) {
                        fence = take(connection, name);
                    }
                }
            }
            if (fence.isEmpty()) {
                return Optional.empty();
            }
            JobLock lock = new JobLock(name, fence.getAsLong(), this);
            held.add(lock);
            return Optional.of(lock);
        } catch (SQLException e) {
            throw new IllegalStateException("could not take job lock " + name, e);
        }
    }

    /** The new fencing token when the lock was free (or its lease over) and is now this holder's. */
    private OptionalLong take(Connection connection, String name) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(TAKE)) {
            update.setString(1, holder);
            update.setLong(2, leaseMicros);
            update.setString(3, name);
            if (update.executeUpdate() != 1) {
                return OptionalLong.empty();
            }
        }
        // LAST_INSERT_ID(expr) above left the new fence in this session: no second holder can interleave.
        try (PreparedStatement select = connection.prepareStatement("SELECT LAST_INSERT_ID()");
             ResultSet row = select.executeQuery()) {
            row.next();
            return OptionalLong.of(row.getLong(1));
        }
    }

    /** {@link JobLock#fence()}: the check and lease extension, on the current transaction's connection. */
    void fence(JobLock lock) {
        if (!QuarkusTransaction.isActive()) {
            throw new IllegalStateException("job lock " + lock.name() + " fenced outside a transaction");
        }
        int renewed = entityManager.unwrap(Session.class).doReturningWork(connection -> renew(connection, lock));
        if (renewed == 0) {
            lose(lock);
            throw new LockLostException(lock.name(), lock.fencingToken());
        }
    }

    void release(JobLock lock) {
        held.remove(lock);
        if (!lock.isHeld()) {
            return;
        }
        lock.lose(); // a step after close must not pass its fence on this object
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(RELEASE)) {
            update.setString(1, lock.name());
            update.setLong(2, lock.fencingToken());
            update.executeUpdate();
        } catch (SQLException e) {
            // The lease runs out by itself: another holder takes over at most a lease later.
            LOG.debugf("job lock %s: release failed (%s); its lease runs out by itself", lock.name(), e.getMessage());
        }
    }

    /** Renews every lease held here; one that was taken over meanwhile is marked lost. */
    private void renewAll() {
        if (held.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            for (JobLock lock : held) {
                if (renew(connection, lock) == 0) {
                    LOG.warnf("job lock %s: taken over by another holder (its lease ran out); the job stops at"
                            + " its next step", lock.name());
                    lose(lock);
                }
            }
        } catch (SQLException | RuntimeException e) {
            // Not lost yet: nobody else can take it until the lease runs out, and the next beat retries.
            LOG.warnf("job locks: renewal failed (%s); retrying at the next beat", e.getMessage());
        }
    }

    private int renew(Connection connection, JobLock lock) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(RENEW)) {
            update.setLong(1, leaseMicros);
            update.setString(2, lock.name());
            update.setLong(3, lock.fencingToken());
            return update.executeUpdate();
        }
    }

    private void lose(JobLock lock) {
        lock.lose();
        held.remove(lock);
    }

    /** Stops renewing and frees what is still held, so other replicas need not wait for the leases to run out. */
    @PreDestroy
    void stop() {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        for (JobLock lock : Set.copyOf(held)) {
            release(lock);
        }
    }
}
