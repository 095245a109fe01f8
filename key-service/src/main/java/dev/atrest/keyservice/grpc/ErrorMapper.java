package dev.atrest.keyservice.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.util.Durations;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.atrest.keyservice.domain.AuditBacklogException;
import dev.atrest.keyservice.domain.ConcurrentUpdateException;
import dev.atrest.keyservice.domain.FieldViolation;
import dev.atrest.keyservice.domain.InvalidArgumentException;
import dev.atrest.keyservice.domain.KmsUnavailableException;
import dev.atrest.keyservice.domain.NotFoundException;
import dev.atrest.keyservice.domain.PermissionDeniedException;
import dev.atrest.keyservice.domain.PreconditionFailedException;
import dev.atrest.keyservice.domain.UnauthenticatedException;
import dev.atrest.keyservice.store.RolledBackConflicts;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The one place where failures become gRPC statuses with google.rpc details. Domain errors map to
 * their codes; everything else is a bug: INTERNAL with an error id that is also in the log, and
 * never the exception's own message (it could carry anything).
 */
public final class ErrorMapper {
    public static final String ERROR_DOMAIN = "atrest.dev";
    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);
    /** When a caller should try again after KMS was not reached, unless the breaker knows when it probes next. */
    private static final Duration KMS_RETRY_AFTER = Duration.ofSeconds(5);

    private ErrorMapper() {}

    public static StatusRuntimeException toStatus(Throwable failure) {
        if (failure instanceof InvalidArgumentException invalid) {
            BadRequest.Builder badRequest = BadRequest.newBuilder();
            for (FieldViolation v : invalid.violations()) {
                badRequest.addFieldViolations(BadRequest.FieldViolation.newBuilder()
                        .setField(v.field()).setDescription(v.description()));
            }
            return status(Code.INVALID_ARGUMENT, invalid.getMessage(), Any.pack(badRequest.build()));
        }
        if (failure instanceof PreconditionFailedException precondition) {
            return status(Code.FAILED_PRECONDITION, precondition.getMessage(), Any.pack(ErrorInfo.newBuilder()
                    .setReason(precondition.reason().name()).setDomain(ERROR_DOMAIN)
                    .putAllMetadata(precondition.metadata()).build()));
        }
        if (failure instanceof NotFoundException notFound) {
            return status(Code.NOT_FOUND, notFound.getMessage(), null);
        }
        if (failure instanceof UnauthenticatedException unauthenticated) {
            return status(Code.UNAUTHENTICATED, unauthenticated.getMessage(), null);
        }
        if (failure instanceof PermissionDeniedException denied) {
            return status(Code.PERMISSION_DENIED, denied.getMessage(), Any.pack(ErrorInfo.newBuilder()
                    .setReason("PERMISSION_DENIED").setDomain(ERROR_DOMAIN)
                    .putMetadata("required_role", denied.requiredRole())
                    .putMetadata("project_id", denied.projectId()).build()));
        }
        if (failure instanceof ConcurrentUpdateException conflict) {
            return status(Code.ABORTED, conflict.getMessage(), null);
        }
        if (failure instanceof KmsUnavailableException unavailable) {
            return kmsUnavailable(unavailable);
        }
        if (failure instanceof AuditBacklogException backlog) {
            return status(Code.UNAVAILABLE, backlog.getMessage(), retryAfter(Duration.ofSeconds(1)));
        }
        if (failure instanceof ShuttingDownException shuttingDown) {
            return status(Code.UNAVAILABLE, shuttingDown.getMessage(), retryAfter(Duration.ofSeconds(1)));
        }
        if (failure instanceof TooManyRefusalsException tooMany) {
            StatusRuntimeException exhausted = status(Code.RESOURCE_EXHAUSTED, tooMany.getMessage(),
                    retryAfter(tooMany.retryAfter()));
            return withDetail(exhausted, Any.pack(ErrorInfo.newBuilder().setReason("TOO_MANY_REFUSALS")
                    .setDomain(ERROR_DOMAIN).putMetadata("limit", "atrest.refusals.rate-per-second").build()));
        }
        if (StoreOutages.isOutage(failure)) {
            // Not a bug but MariaDB down or restarting: the caller should retry, not report an internal error.
            LOG.warnf("database unavailable: %s", String.valueOf(failure));
            return status(Code.UNAVAILABLE, "the database is unavailable; retry shortly",
                    retryAfter(Duration.ofSeconds(2)));
        }
        if (RolledBackConflicts.isRolledBack(failure)) {
            // A deadlock victim or a Galera certification failure: rolled back whole, so a retry is safe.
            return status(Code.ABORTED, "the request collided with a concurrent one and nothing of it was stored"
                    + " (a deadlock or a Galera certification conflict); retry it", retryAfter(Duration.ofMillis(100)));
        }
        if (StoreConflicts.isConflict(failure)) {
            return status(Code.ABORTED, "a concurrent request changed the same resource; read it again and retry", null);
        }
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(failure, "internal error %s", errorId);
        return status(Code.INTERNAL, "internal error " + errorId + "; the service log has the details", null);
    }

    /**
     * KMS not reached: RetryInfo says when to try again. A refusal while KMS's endpoint is known to be down
     * (kms/KmsBreaker) also names the endpoint in ErrorInfo, and is not logged per call: the breaker logs
     * when it opens and closes, and a flood of refusals would bury that.
     */
    private static StatusRuntimeException kmsUnavailable(KmsUnavailableException unavailable) {
        Duration retryAfter = unavailable.retryAfter().orElse(KMS_RETRY_AFTER);
        StatusRuntimeException status = status(Code.UNAVAILABLE, unavailable.getMessage(), retryAfter(retryAfter));
        if (!unavailable.refusedWithoutCall()) {
            LOG.warnf("KMS unavailable: %s (%s)", unavailable.getMessage(), String.valueOf(unavailable.getCause()));
            return status;
        }
        LOG.debugf("KMS call refused: %s", unavailable.getMessage());
        return withDetail(status, Any.pack(ErrorInfo.newBuilder().setReason("KMS_UNAVAILABLE")
                .setDomain(ERROR_DOMAIN).putAllMetadata(unavailable.endpoint()).build()));
    }

    /** A google.rpc.RetryInfo detail: when the caller should try again (at least 1 ms). */
    private static Any retryAfter(Duration delay) {
        return Any.pack(RetryInfo.newBuilder().setRetryDelay(Durations.fromMillis(Math.max(1, delay.toMillis()))).build());
    }

    private static StatusRuntimeException status(Code code, String message, Any detail) {
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(code.getNumber()).setMessage(message);
        if (detail != null) {
            status.addDetails(detail);
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }

    private static StatusRuntimeException withDetail(StatusRuntimeException status, Any detail) {
        return StatusProto.toStatusRuntimeException(StatusProto.fromThrowable(status).toBuilder().addDetails(detail).build());
    }
}
