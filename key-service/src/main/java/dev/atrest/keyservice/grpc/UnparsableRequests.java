package dev.atrest.keyservice.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * grpc-java treats a request that is not valid protobuf as a failure of the service: the marshaller's error
 * escapes the call and reaches the caller as UNKNOWN ("Application error processing RPC"), with a SEVERE stack
 * trace in the log, though it was the caller that sent garbage. Every atrest.v1 service binds itself through
 * {@link #refused}, whose request parser hands such a request on as {@code null} instead of throwing (a status
 * thrown there would be replaced by UNKNOWN all the same); {@link AccessInterceptor}, first on every call,
 * authenticates the caller and then refuses a null request as INVALID_ARGUMENT before anything reads or stores it.
 */
public final class UnparsableRequests {
    private UnparsableRequests() {}

    public static ServerServiceDefinition refused(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            ServerMethodDefinition<?, ?> refusing = refusing(method);
            descriptor.addMethod(refusing.getMethodDescriptor());
            methods.add(refusing);
        }
        ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(definition::addMethod);
        return definition.build();
    }

    private static <Q, R> ServerMethodDefinition<Q, R> refusing(ServerMethodDefinition<Q, R> method) {
        MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor();
        MethodDescriptor.Marshaller<Q> parser = descriptor.getRequestMarshaller();
        MethodDescriptor.Marshaller<Q> refusingParser = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(Q request) {
                return parser.stream(request);
            }

            /** @return the request, or null when the bytes are not one */
            @Override
            public Q parse(InputStream bytes) {
                try {
                    return parser.parse(bytes);
                } catch (StatusRuntimeException unparsable) {
                    return null;
                }
            }
        };
        return ServerMethodDefinition.create(descriptor.toBuilder().setRequestMarshaller(refusingParser).build(),
                method.getServerCallHandler());
    }
}
