package dev.atrest.keyservice.vault;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Durations;
import com.google.rpc.RetryInfo;
import dev.atrest.keyservice.grpc.ErrorMapper;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;

/**
 * Failures as Vault answers them: an HTTP status and {@code {"errors":["..."]}}. What a failure means is
 * decided once, by {@link ErrorMapper} (the gRPC code and description every client of the service sees);
 * this only says which HTTP status a code is. Engines write these bodies to their own logs (MariaDB's error
 * log has the "hashicorp:" lines), so they carry the service's description and nothing else.
 */
final class VaultErrors {
    private VaultErrors() {}

    static Response toResponse(RuntimeException failure) {
        StatusRuntimeException mapped = failure instanceof StatusRuntimeException status ? status
                : ErrorMapper.toStatus(failure);
        Status status = mapped.getStatus();
        String description = status.getDescription() == null ? status.getCode().name() : status.getDescription();
        Response.ResponseBuilder response = Response.status(httpStatus(status.getCode()))
                .type(MediaType.APPLICATION_JSON_TYPE).entity(VaultResponses.errors(List.of(description)));
        retryAfterSeconds(mapped).ifPresent(seconds -> response.header("Retry-After", seconds));
        return response.build();
    }

    /** A failure of the HTTP layer itself (no such route, method not allowed, …), with its own status. */
    static Response of(int httpStatus, String message) {
        return Response.status(httpStatus).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(VaultResponses.errors(List.of(message))).build();
    }

    static int httpStatus(Status.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
            // Vault answers 403 for a missing token as for a refused one.
            case UNAUTHENTICATED, PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case ABORTED, ALREADY_EXISTS -> 409;
            // The cluster is not encrypted, or its project's CMK failed its last check (the lock-out).
            case FAILED_PRECONDITION -> 412;
            case RESOURCE_EXHAUSTED -> 429;
            case UNAVAILABLE -> 503;
            case DEADLINE_EXCEEDED -> 504;
            default -> 500;
        };
    }

    /** RetryInfo's delay in whole seconds (at least 1), as Retry-After wants it. */
    private static Optional<Long> retryAfterSeconds(StatusRuntimeException mapped) {
        com.google.rpc.Status details = StatusProto.fromThrowable(mapped);
        if (details == null) {
            return Optional.empty();
        }
        for (Any detail : details.getDetailsList()) {
            if (detail.is(RetryInfo.class)) {
                try {
                    long millis = Durations.toMillis(detail.unpack(RetryInfo.class).getRetryDelay());
                    return Optional.of(Math.max(1, (millis + 999) / 1000));
                } catch (InvalidProtocolBufferException unreadable) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
