package dev.atrest.keyservice.datakey;

import static dev.atrest.keyservice.datakey.DatabaseKeyGrpcTest.encryptedProject;
import static dev.atrest.keyservice.datakey.DatabaseKeyGrpcTest.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.masterkey.KeyAccessChanged;
import dev.atrest.v1.DatabaseKey;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A key row altered in the database (with the service's own database credentials) fails to open, and
 * once it is repaired the very next GetDatabaseKey serves the key again: what failed to open is never
 * kept in memory until the cache TTL ends.
 */
@QuarkusTest
class TamperedKeyRowGrpcTest {
    @Inject
    DataSource dataSource;

    @Inject
    Event<KeyAccessChanged> keyAccessChanged;

    @Test
    void getDatabaseKey_wrappedDatabaseKeyTamperedThenRepaired_servedAgainAtTheNextCall() {
        String project = encryptedProject();
        DatabaseKey before = get(project, "orders", 0);
        byte[] stored = column(project, "database_key", "database_name = 'orders'");

        write(project, "database_key", "database_name = 'orders'", flipped(stored));
        forgetHeldKeys(project);
        assertFailsToOpen(() -> get(project, "orders", 0));
        assertFailsToOpen(() -> get(project, "orders", 1));
        write(project, "database_key", "database_name = 'orders'", stored);

        assertThat(get(project, "orders", 0).getKey()).isEqualTo(before.getKey());
        assertThat(get(project, "orders", 1).getKey()).isEqualTo(before.getKey());
    }

    @Test
    void getDatabaseKey_wrappedMasterKeyTamperedThenRepaired_servedAgainAtTheNextCall() {
        String project = encryptedProject();
        DatabaseKey before = get(project, "orders", 0);
        byte[] stored = column(project, "master_key", "version = 1");

        write(project, "master_key", "version = 1", flipped(stored));
        forgetHeldKeys(project);
        assertFailsToOpen(() -> get(project, "orders", 0));
        write(project, "master_key", "version = 1", stored);

        assertThat(get(project, "orders", 0).getKey()).isEqualTo(before.getKey());
    }

    /** What the end of the cache TTL does: the next call reads the (now altered) rows. */
    private void forgetHeldKeys(String project) {
        keyAccessChanged.fire(new KeyAccessChanged(project));
    }

    /**
     * INTERNAL, as every failure outside the domain's exception family: the error mapper has no
     * DATA_LOSS mapping, and the details stay in the service log (with an error id), not in the answer.
     */
    private static void assertFailsToOpen(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
            assertThat(e.getStatus().getDescription()).startsWith("internal error ").doesNotContain("unwrap");
        });
    }

    private static byte[] flipped(byte[] wrapped) {
        byte[] altered = wrapped.clone();
        altered[altered.length - 1] ^= 0x01; // the last byte of the GCM tag
        return altered;
    }

    private byte[] column(String project, String table, String where) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT wrapped_key FROM " + table
                     + " WHERE project_id = ? AND cluster_name = 'c1' AND " + where)) {
            select.setString(1, project);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).as(table + " row of " + project).isTrue();
                return row.getBytes(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void write(String project, String table, String where, byte[] wrapped) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE " + table
                     + " SET wrapped_key = ? WHERE project_id = ? AND cluster_name = 'c1' AND " + where)) {
            update.setBytes(1, wrapped);
            update.setString(2, project);
            assertThat(update.executeUpdate()).isEqualTo(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
