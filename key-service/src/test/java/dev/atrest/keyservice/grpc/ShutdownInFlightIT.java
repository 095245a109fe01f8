package dev.atrest.keyservice.grpc;

import static dev.atrest.keyservice.support.Requests.enableLocal;
import static dev.atrest.keyservice.support.Requests.setCluster;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import dev.atrest.keyservice.support.ItDatabase;
import dev.atrest.keyservice.support.ServiceProcess;
import dev.atrest.v1.ClusterEncryption;
import dev.atrest.v1.EncryptionAtRestProvider;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A call still running when the service is told to stop (SIGTERM) ends UNAVAILABLE, which clients
 * retry on another replica, not UNKNOWN or INTERNAL. The call is kept running by a row lock the test
 * holds on its project in the database, released two seconds into the shutdown: the call then goes on
 * while the service stops underneath it.
 */
class ShutdownInFlightIT {
    @Test
    void callInFlight_sigterm_endsUnavailable() throws Exception {
        ItDatabase db = ItDatabase.shared();
        Path dataDir = Files.createDirectories(Path.of("target", "it-data", "shutdown-in-flight")).toAbsolutePath();
        ServiceProcess service = new ServiceProcess("shutdown-in-flight", db, dataDir, ItDatabase.sharedSealKey(), "10m")
                .start();
        try (Connection lock = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            String project = "shutdown-" + System.nanoTime();
            service.projects().updateProjectEncryption(enableLocal(project));
            lock.setAutoCommit(false);
            try (PreparedStatement select = lock.prepareStatement(
                    "SELECT id FROM project_encryption WHERE project_id = ? FOR UPDATE")) {
                select.setString(1, project);
                select.executeQuery();
            }
            ListenableFuture<ClusterEncryption> inFlight = service.clustersAsync()
                    .setClusterEncryption(setCluster(project, "c1", EncryptionAtRestProvider.LOCAL));
            Thread.sleep(1_500);
            assertThat(inFlight.isDone()).as("the call waits for the test's row lock").isFalse();

            Thread stopping = new Thread(service::stop, "sigterm");
            stopping.start();
            // The call goes on while the service is stopping underneath it.
            Thread.sleep(2_000);
            lock.rollback();
            Status.Code code;
            String description;
            try {
                inFlight.get(90, TimeUnit.SECONDS);
                code = Status.Code.OK;
                description = "";
            } catch (ExecutionException e) {
                Status status = ((StatusRuntimeException) e.getCause()).getStatus();
                code = status.getCode();
                description = status.getDescription();
            } finally {
                lock.rollback();
            }
            stopping.join(90_000);
            System.out.printf("call in flight at SIGTERM ended %s: %s%n", code, description);
            assertThat(code).as(description + "; see " + service.log()).isEqualTo(Status.Code.UNAVAILABLE);
        } finally {
            service.stop();
        }
    }
}
