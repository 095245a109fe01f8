package dev.atrest.keyservice.kms;

import dev.atrest.keyservice.domain.AtrestException;
import dev.atrest.keyservice.domain.KmsUnavailableException;
import dev.atrest.keyservice.domain.PreconditionFailedException;
import dev.atrest.keyservice.domain.PreconditionFailedException.Reason;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Sorts AWS failures into the two things that matter: KMS said the key cannot be used (the settings
 * are invalid: a verdict), or KMS could not be asked (unreachable: never a verdict on the key).
 */
final class KmsErrors {
    /** Error codes that are KMS's (or STS's) definite answer about the key or the credentials. */
    private static final Set<String> VERDICTS = Set.of(
            "NotFoundException", "DisabledException", "KMSInvalidStateException", "AccessDeniedException",
            "AccessDenied", "InvalidKeyUsageException", "IncorrectKeyException", "InvalidCiphertextException",
            "UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException",
            "SignatureDoesNotMatch", "ExpiredTokenException", "ExpiredToken", "InvalidArnException",
            "ValidationException", "KeyUnavailableException", "RegionDisabledException");

    private KmsErrors() {}

    static AtrestException translate(String action, SdkException failure) {
        if (failure instanceof AwsServiceException service && isVerdict(service)) {
            return invalid(service.awsErrorDetails().errorCode() + ": " + service.awsErrorDetails().errorMessage());
        }
        return new KmsUnavailableException("AWS KMS could not be reached to " + action
                + " (" + failure.getClass().getSimpleName() + "); nothing was changed, retry later", failure);
    }

    /**
     * A field every successful KMS answer carries. A response cut off on the way can still parse as an
     * empty success ({}); its missing fields then mean KMS was not heard, never a verdict on the key.
     * Thrown as an SdkClientException, so it is translated like any other transport failure.
     */
    static <T> T required(T value, String field) {
        if (value == null) {
            throw SdkClientException.create("the KMS response has no " + field + " (cut off on the way?)");
        }
        return value;
    }

    static PreconditionFailedException invalid(String kmsReason) {
        return new PreconditionFailedException(Reason.ENCRYPTION_AT_REST_SETTINGS_INVALID,
                "the customer master key cannot be used: " + kmsReason, Map.of("kms_reason", kmsReason));
    }

    private static boolean isVerdict(AwsServiceException service) {
        if (service.awsErrorDetails() == null) {
            return false;
        }
        int status = service.statusCode();
        String code = service.awsErrorDetails().errorCode();
        return VERDICTS.contains(code) || (status >= 400 && status < 500 && status != 429 && !service.isThrottlingException());
    }
}
