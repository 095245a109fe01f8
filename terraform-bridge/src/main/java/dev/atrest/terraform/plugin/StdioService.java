package dev.atrest.terraform.plugin;

import com.google.protobuf.Empty;
import dev.atrest.terraform.protocol.goplugin.GRPCStdioGrpc;
import dev.atrest.terraform.protocol.goplugin.GrpcStdio;
import io.grpc.stub.StreamObserver;

/**
 * go-plugin's {@code plugin.GRPCStdio}. Our stdout is reserved for the handshake and our logs already go
 * to stderr, which go-plugin reads directly, so there is never anything to forward: the stream ends at
 * once and go-plugin stops listening ("received EOF").
 */
final class StdioService extends GRPCStdioGrpc.GRPCStdioImplBase {

    @Override
    public void streamStdio(Empty request, StreamObserver<GrpcStdio.StdioData> response) {
        StartupTrace.mark("first call served (stdio stream, after the TLS handshake)");
        response.onCompleted();
    }
}
