package dev.atrest.terraform.plugin;

import dev.atrest.terraform.protocol.goplugin.GRPCControllerGrpc;
import dev.atrest.terraform.protocol.goplugin.GrpcController;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * go-plugin's {@code plugin.GRPCController}: Terraform calls Shutdown when it is done with us and kills
 * the process two seconds later. We answer first, then stop the server, which lets {@code main} return.
 */
final class ShutdownController extends GRPCControllerGrpc.GRPCControllerImplBase {

    private static final Logger LOG = Logger.getLogger(ShutdownController.class.getName());

    private final AtomicReference<Server> server = new AtomicReference<>();
    private final CountDownLatch requested = new CountDownLatch(1);

    void serve(Server started) {
        server.set(started);
    }

    @Override
    public void shutdown(GrpcController.Empty request, StreamObserver<GrpcController.Empty> response) {
        response.onNext(GrpcController.Empty.getDefaultInstance());
        response.onCompleted();
        LOG.fine("shutdown requested by the client");
        StartupTrace.mark("Shutdown received");
        Server running = server.get();
        if (running != null) {
            running.shutdown(); // graceful: lets this very response go out first
        }
        requested.countDown();
    }

    void awaitRequest() throws InterruptedException {
        requested.await();
    }
}
