package dev.atrest.keyservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.util.Durations;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.atrest.keyservice.domain.KmsUnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** KMS not reached, and KMS not even asked because its breaker is open: both UNAVAILABLE, with when to retry. */
class ErrorMapperKmsTest {

    @Test
    void toStatus_kmsRefusedWhileDown_unavailableWithTimeToProbeAndTheEndpoint() throws Exception {
        StatusRuntimeException status = ErrorMapper.toStatus(KmsUnavailableException.refusedWhileDown(
                "AWS KMS at https://kms.eu-west-1.amazonaws.com (eu-west-1) is not answering", Duration.ofMillis(3_250),
                Map.of("endpoint", "https://kms.eu-west-1.amazonaws.com", "region", "eu-west-1")));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        List<Any> details = StatusProto.fromThrowable(status).getDetailsList();
        assertThat(Durations.toMillis(unpack(details, RetryInfo.class).getRetryDelay())).isEqualTo(3_250);
        ErrorInfo info = unpack(details, ErrorInfo.class);
        assertThat(info.getReason()).isEqualTo("KMS_UNAVAILABLE");
        assertThat(info.getDomain()).isEqualTo(ErrorMapper.ERROR_DOMAIN);
        assertThat(info.getMetadataMap()).containsExactlyInAnyOrderEntriesOf(
                Map.of("endpoint", "https://kms.eu-west-1.amazonaws.com", "region", "eu-west-1"));
    }

    @Test
    void toStatus_kmsNotReached_unavailableWithTheDefaultRetryAndNoErrorInfo() throws Exception {
        StatusRuntimeException status = ErrorMapper.toStatus(
                new KmsUnavailableException("AWS KMS could not be reached to decrypt a master key", null));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        List<Any> details = StatusProto.fromThrowable(status).getDetailsList();
        assertThat(Durations.toSeconds(unpack(details, RetryInfo.class).getRetryDelay())).isEqualTo(5);
        assertThat(details).noneMatch(detail -> detail.is(ErrorInfo.class));
    }

    private static <T extends com.google.protobuf.Message> T unpack(List<Any> details, Class<T> type) throws Exception {
        for (Any detail : details) {
            if (detail.is(type)) {
                return detail.unpack(type);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + details);
    }
}
