package dev.atrest.keyservice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.testsupport.Awaits;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Job locks as leases on the real database: one holder at a time, free again on release, taken over
 * once a holder stops renewing, and a taken-over holder's step commits nothing. No lock pins a pooled
 * connection, so more locks than the pool has connections are held while queries still run.
 */
@QuarkusTest
class JobLocksTest {
    /** Above quarkus.datasource.jdbc.max-size (32): a lock that pinned a connection could not all be held. */
    private static final int MORE_LOCKS_THAN_CONNECTIONS = 40;
    /** Nearly the whole pool at once, leaving room for the service's own background work (the audit writer). */
    private static final int CONNECTIONS_AT_ONCE = 28;
    private static final Duration SHORT_LEASE = Duration.ofSeconds(2);

    @Inject
    JobLocks locks;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    EntityManager entityManager;

    @Test
    void tryLock_heldByAnotherHolder_isRefusedUntilReleased() {
        String name = newName();
        JobLocks otherReplica = replica(Duration.ofSeconds(30));
        try {
            JobLock first = locks.tryLock(name).orElseThrow();
            assertThat(otherReplica.tryLock(name)).as("a second replica while the first holds it").isEmpty();
            assertThat(locks.tryLock(name)).as("a second job on the same replica").isEmpty();

            first.close();
            assertThat(first.isHeld()).isFalse();
            try (JobLock second = otherReplica.tryLock(name).orElseThrow()) {
                assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
                assertThat(locks.tryLock(name)).as("the first replica while the second holds it").isEmpty();
            }
        } finally {
            otherReplica.stop();
        }
    }

    @Test
    void tryLock_holderStoppedRenewing_isTakenOverAndTheOldHoldersStepCommitsNothing() {
        String name = newName();
        JobLocks stopped = replica(SHORT_LEASE); // holds without a heartbeat: a replica that froze or died
        JobLocks otherReplica = replica(Duration.ofSeconds(30));
        try {
            JobLock stale = stopped.tryLock(name).orElseThrow();
            JobLock taken = Awaits.until(name + " taken over once the lease ran out", Duration.ofSeconds(15),
                    () -> otherReplica.tryLock(name), Optional::isPresent).orElseThrow();
            assertThat(taken.fencingToken()).isGreaterThan(stale.fencingToken());

            String written = newName();
            assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
                insertRow(written); // the step's work, written before its fence as a real step's is
                stale.fence();
            })).isInstanceOf(LockLostException.class).hasMessageContaining(name);
            assertThat(rowExists(written)).as("the taken-over holder's step committed its write").isFalse();
            assertThat(stale.isHeld()).isFalse();

            QuarkusTransaction.requiringNew().run(() -> {
                insertRow(written);
                taken.fence();
            });
            assertThat(rowExists(written)).as("the new holder's step").isTrue();
            stale.close(); // must not free the new holder's lock
            assertThat(locks.tryLock(name)).as("after the old holder's release").isEmpty();
            taken.close();
        } finally {
            stopped.stop();
            otherReplica.stop();
        }
    }

    @Test
    void tryLock_holderRenewing_keepsTheLockPastItsLease() throws InterruptedException {
        String name = newName();
        JobLocks renewing = new JobLocks(dataSource, entityManager, SHORT_LEASE, true);
        JobLocks otherReplica = replica(Duration.ofSeconds(30));
        try (JobLock held = renewing.tryLock(name).orElseThrow()) {
            Thread.sleep(SHORT_LEASE.multipliedBy(3).toMillis());
            assertThat(otherReplica.tryLock(name)).as("three leases later, renewed all along").isEmpty();
            assertThat(held.isHeld()).isTrue();
            QuarkusTransaction.requiringNew().run(held::fence);
        } finally {
            renewing.stop();
            otherReplica.stop();
        }
    }

    @Test
    void tryLock_moreLocksThanPooledConnections_pinsNoConnection() throws Exception {
        List<JobLock> held = new ArrayList<>();
        try {
            for (int i = 0; i < MORE_LOCKS_THAN_CONNECTIONS; i++) {
                held.add(locks.tryLock(newName()).orElseThrow());
            }
            List<Connection> connections = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS_AT_ONCE; i++) {
                    connections.add(dataSource.getConnection());
                }
                for (Connection connection : connections) {
                    try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM job_lock");
                         ResultSet row = select.executeQuery()) {
                        assertThat(row.next()).isTrue();
                        assertThat(row.getLong(1)).isGreaterThanOrEqualTo(MORE_LOCKS_THAN_CONNECTIONS);
                    }
                }
            } finally {
                for (Connection connection : connections) {
                    connection.close();
                }
            }
            assertThat(held).allMatch(JobLock::isHeld);
        } finally {
            held.forEach(JobLock::close);
        }
    }

    @Test
    void fence_outsideATransaction_isRefused() {
        try (JobLock lock = locks.tryLock(newName()).orElseThrow()) {
            assertThatThrownBy(lock::fence).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("outside a transaction");
        }
    }

    @Test
    void checkLease_zero_isRefusedNamingTheSetting() {
        assertThatThrownBy(() -> JobLocks.checkLease(Duration.ZERO)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("atrest.jobs.lease-duration must be above 0");
    }

    /** Another replica's locks: a holder of its own, with no heartbeat (a test drives time through the lease). */
    private JobLocks replica(Duration lease) {
        return new JobLocks(dataSource, entityManager, lease, false);
    }

    private void insertRow(String name) {
        entityManager.createNativeQuery("INSERT INTO job_lock (name) VALUES (?1)").setParameter(1, name)
                .executeUpdate();
    }

    private boolean rowExists(String name) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT 1 FROM job_lock WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String newName() {
        return "test:" + UUID.randomUUID();
    }
}
