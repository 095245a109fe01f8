package dev.atrest.terraform.provider;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns a key-service error into diagnostics: a summary naming what failed, the service's own message as
 * detail, and, where the service says which field or rule is at fault, the attribute path to fix.
 */
public final class ServiceErrors {

    /** Where a resource's attributes correspond to the service's fields and error reasons. */
    public interface AttributeMapping {
        /** The dotted attribute path for a BadRequest field (e.g. "project_encryption.aws_kms.region"), or null. */
        String forField(String serviceField);

        /** The dotted attribute path an ErrorInfo reason is about, or null for the resource as a whole. */
        String forReason(String reason);
    }

    private ServiceErrors() {
    }

    public static boolean isNotFound(StatusRuntimeException error) {
        return error.getStatus().getCode() == Status.Code.NOT_FOUND;
    }

    /** The google.rpc.ErrorInfo the service attached (its reason and metadata), if any. */
    public static Optional<ErrorInfo> errorInfo(StatusRuntimeException error) {
        return detail(error, ErrorInfo.class);
    }

    /** The first google.rpc detail of this type the service attached (ErrorInfo, RetryInfo, …), if any. */
    static <T extends Message> Optional<T> detail(StatusRuntimeException error, Class<T> type) {
        com.google.rpc.Status details = StatusProto.fromThrowable(error);
        if (details == null) {
            return Optional.empty();
        }
        for (Any detail : details.getDetailsList()) {
            if (detail.is(type)) {
                try {
                    return Optional.of(detail.unpack(type));
                } catch (InvalidProtocolBufferException malformed) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the service refused with this ErrorInfo reason (e.g. CANNOT_DISABLE_ENCRYPTION_AT_REST). */
    public static boolean hasReason(StatusRuntimeException error, String reason) {
        return errorInfo(error).map(info -> info.getReason().equals(reason)).orElse(false);
    }

    public static void report(String failedAction, StatusRuntimeException error, AttributeMapping mapping,
            String endpoint, Diagnostics diagnostics) {
        String summary = "cannot " + failedAction;
        Status status = error.getStatus();
        String message = status.getDescription() == null ? status.getCode().toString() : status.getDescription();
        if (status.getCode() == Status.Code.UNAVAILABLE || status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            // The provider asked again for a while first (ServiceRetry); a write sent meanwhile may have been
            // carried out with only its answer lost, so the text promises nothing either way.
            diagnostics.error(summary, "the key service at " + endpoint + " did not answer (" + status.getCode()
                    + ": " + message + "), also when asked again. Check that it runs and that the provider's "
                    + "endpoint (or ATREST_ENDPOINT) points at it, then run the command again: the next plan reads "
                    + "what the service holds.");
            return;
        }
        if (status.getCode() == Status.Code.UNAUTHENTICATED) {
            diagnostics.error(summary, "the key service at " + endpoint + " did not accept the provider's "
                    + "credentials (" + message + "). Set the provider's token (or ATREST_TOKEN) to a valid, "
                    + "unrevoked token, or configure a client certificate; nothing was changed.");
            return;
        }
        if (status.getCode() == Status.Code.PERMISSION_DENIED) {
            diagnostics.error(summary, "the provider's identity may not do this (" + message + "). The "
                    + "configuration plane needs an ADMIN token or certificate granted this project; "
                    + "nothing was changed.");
            return;
        }
        if (status.getCode() == Status.Code.UNIMPLEMENTED) {
            // A provider newer than the key service (e.g. RotateDatabaseKey against a service that predates it).
            diagnostics.error(summary, "the key service at " + endpoint + " does not offer this call (" + message
                    + "): it is older than this provider. Upgrade the key service; nothing was changed.");
            return;
        }
        com.google.rpc.Status details = StatusProto.fromThrowable(error);
        boolean reported = false;
        if (details != null) {
            for (Any detail : details.getDetailsList()) {
                reported |= reportDetail(summary, message, detail, mapping, diagnostics);
            }
        }
        if (!reported) {
            diagnostics.error(summary, status.getCode() + ": " + message);
        }
    }

    private static boolean reportDetail(String summary, String message, Any detail, AttributeMapping mapping,
            Diagnostics diagnostics) {
        try {
            if (detail.is(BadRequest.class)) {
                for (BadRequest.FieldViolation violation : detail.unpack(BadRequest.class).getFieldViolationsList()) {
                    String path = mapping.forField(violation.getField());
                    String text = violation.getDescription().isEmpty() ? message : violation.getDescription();
                    attributeOrPlain(diagnostics, path, summary,
                            path == null ? violation.getField() + ": " + text : text);
                }
                return true;
            }
            if (detail.is(ErrorInfo.class)) {
                ErrorInfo info = detail.unpack(ErrorInfo.class);
                attributeOrPlain(diagnostics, mapping.forReason(info.getReason()), summary,
                        message + explain(info));
                return true;
            }
        } catch (InvalidProtocolBufferException malformed) {
            return false;
        }
        return false;
    }

    /** The reason and its metadata, which name what to fix (e.g. the clusters still encrypted). */
    private static String explain(ErrorInfo info) {
        StringBuilder text = new StringBuilder(" (").append(info.getReason());
        new TreeMap<>(info.getMetadataMap()).forEach((key, value) -> text.append("; ").append(key).append(": ").append(value));
        return text.append(')').toString();
    }

    private static void attributeOrPlain(Diagnostics diagnostics, String path, String summary, String detail) {
        if (path == null) {
            diagnostics.error(summary, detail);
        } else {
            diagnostics.attributeError(path, summary, detail);
        }
    }
}
