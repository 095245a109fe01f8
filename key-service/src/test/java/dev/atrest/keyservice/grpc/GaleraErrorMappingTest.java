package dev.atrest.keyservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.RetryInfo;
import dev.atrest.keyservice.store.RolledBackConflicts;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeoutException;
import org.hibernate.exception.GenericJDBCException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

/**
 * What a Galera cluster answers when it refuses work, as Connector/J 3.5 raised it against scripts/galera.sh's
 * cluster (class, SQLSTATE, error code and message copied from the real exceptions; GaleraReplicasIT provokes
 * the certification failure live): a lost certification is ABORTED, a node out of the primary component or an
 * exhausted pool is UNAVAILABLE, each with RetryInfo; never INTERNAL.
 */
class GaleraErrorMappingTest {
    /** COMMIT of a transaction whose row another node committed first (certification failure). */
    static SQLTransactionRollbackException certificationFailure() {
        return new SQLTransactionRollbackException(
                "(conn=10) Deadlock found when trying to get lock; try restarting transaction", "40001", 1213);
    }

    /** Any statement on a node that lost quorum (the other two killed). */
    static SQLNonTransientConnectionException nodeNotReady() {
        return new SQLNonTransientConnectionException(
                "(conn=16) WSREP has not yet prepared node for application use", "08S01", 1047);
    }

    @Test
    void toStatus_certificationFailureAtCommit_abortedWithRetryInfo() {
        // Narayana reports a refused COMMIT as its own exception, the driver's only suppressed in it.
        Exception commit = new IllegalStateException("ARJUNA016053: Could not commit transaction.");
        commit.addSuppressed(certificationFailure());

        StatusRuntimeException status = ErrorMapper.toStatus(new RuntimeException(commit));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
        assertThat(status.getStatus().getDescription()).contains("nothing of it was stored");
        assertThat(retryDelayMillis(status)).isPositive();
    }

    @Test
    void toStatus_certificationFailureOfAStatementUnderHibernate_aborted() {
        Throwable wrapped = new GenericJDBCException("could not execute statement", certificationFailure());

        assertThat(ErrorMapper.toStatus(wrapped).getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
    }

    @Test
    void toStatus_nodeNotInThePrimaryComponent_unavailableWithRetryInfo() {
        StatusRuntimeException status = ErrorMapper.toStatus(
                new GenericJDBCException("Unable to acquire JDBC Connection", nodeNotReady()));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(retryDelayMillis(status)).isPositive();
    }

    @Test
    void toStatus_writerDiedMidTransactionAndTheDriverReconnectedToTheNextNode_unavailable() {
        // sequential failover: the connection object lives on, moved to the next node; the transaction is gone.
        SQLTransientConnectionException moved = new SQLTransientConnectionException("Driver has reconnect connection"
                + " after a communications link failure with 127.0.0.1:25301. In progress transaction was lost", "25S03");

        StatusRuntimeException status = ErrorMapper.toStatus(
                new JDBCConnectionException("JDBC exception executing SQL", moved));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(RolledBackConflicts.isRolledBack(moved)).isFalse();
    }

    @Test
    void toStatus_statementPreparedOnTheDeadNodeSentToTheNext_unavailable() {
        // As the audit writer's batch met it after a writer kill: the connection moved, its prepared statement did not.
        SQLException unknown = new SQLException("(conn=41) Unknown prepared statement handler (7) given to"
                + " mysqld_stmt_execute", "HY000", 1243);

        StatusRuntimeException status = ErrorMapper.toStatus(
                new GenericJDBCException("JDBC exception executing SQL", unknown));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void toStatus_poolAcquisitionTimeout_unavailableWithRetryInfo() {
        SQLException timeout = new SQLException("Acquisition timeout while waiting for new connection",
                new TimeoutException());

        StatusRuntimeException status = ErrorMapper.toStatus(
                new GenericJDBCException("Unable to acquire JDBC Connection", timeout));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(retryDelayMillis(status)).isPositive();
    }

    @Test
    void isRolledBack_connectionLostAroundCommit_false() {
        // Unknown outcome: the commit may have happened, so it is an outage, not a conflict to re-run.
        Exception commit = new IllegalStateException("ARJUNA016053: Could not commit transaction.");
        commit.addSuppressed(new SQLNonTransientConnectionException("(conn=7) Socket error", "08000"));

        assertThat(RolledBackConflicts.isRolledBack(commit)).isFalse();
        assertThat(StoreOutages.isOutage(commit)).isTrue();
    }

    @Test
    void isRolledBack_otherSqlErrors_false() {
        assertThat(RolledBackConflicts.isRolledBack(new SQLException("Duplicate entry", "23000", 1062))).isFalse();
        assertThat(RolledBackConflicts.isRolledBack(nodeNotReady())).isFalse();
        assertThat(RolledBackConflicts.isRolledBack(new IllegalStateException("bug"))).isFalse();
    }

    private static long retryDelayMillis(StatusRuntimeException status) {
        return StatusProto.fromThrowable(status).getDetailsList().stream().filter(d -> d.is(RetryInfo.class))
                .map(d -> {
                    try {
                        return d.unpack(RetryInfo.class).getRetryDelay();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).mapToLong(d -> d.getSeconds() * 1000 + d.getNanos() / 1_000_000).findFirst().orElse(0);
    }
}
