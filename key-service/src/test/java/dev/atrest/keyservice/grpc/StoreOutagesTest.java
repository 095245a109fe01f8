package dev.atrest.keyservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

/** MariaDB out of reach is UNAVAILABLE (retry), never INTERNAL; other store errors keep their mapping. */
class StoreOutagesTest {
    @Test
    void toStatus_connectionRefusedUnderHibernate_unavailableNamingTheDatabase() {
        Throwable refused = new JDBCConnectionException("Unable to acquire JDBC Connection",
                new SQLNonTransientConnectionException("Socket fail to connect", "08000", new ConnectException()));

        Status status = ErrorMapper.toStatus(new IllegalStateException(refused)).getStatus();

        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).contains("database");
    }

    @Test
    void isOutage_connectionExceptionSqlState_true() {
        assertThat(StoreOutages.isOutage(new SQLException("Connection is closed", "08003"))).isTrue();
    }

    @Test
    void isOutage_commitBrokenOffWithTheDriverErrorSuppressed_true() {
        Exception rollback = new IllegalStateException("Could not commit transaction");
        rollback.addSuppressed(new IllegalStateException("transactionCommit failed",
                new SQLNonTransientConnectionException("Socket error")));

        assertThat(StoreOutages.isOutage(new RuntimeException(rollback))).isTrue();
    }

    @Test
    void isOutage_pooledConnectionCannotJoinTheTransaction_true() {
        SQLException enlistFailed = new SQLException("Exception in association of connection to existing transaction",
                new SQLException("Failed to enlist"));

        assertThat(StoreOutages.isOutage(enlistFailed)).isTrue();
    }

    @Test
    void isOutage_otherSqlErrors_false() {
        assertThat(StoreOutages.isOutage(new SQLException("Duplicate entry", "23000"))).isFalse();
        assertThat(StoreOutages.isOutage(new ConstraintViolationException("duplicate", new SQLException(), "uk")))
                .isFalse();
        assertThat(StoreOutages.isOutage(new IllegalStateException("bug"))).isFalse();
    }
}
