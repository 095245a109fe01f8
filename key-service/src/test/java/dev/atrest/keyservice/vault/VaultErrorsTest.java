package dev.atrest.keyservice.vault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.domain.KmsUnavailableException;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A storage engine learns when KMS will be tried again as Vault would say it: 503 and Retry-After. */
class VaultErrorsTest {

    @Test
    void toResponse_kmsRefusedWhileDown_503WithRetryAfterInWholeSecondsRoundedUp() {
        Response response = VaultErrors.toResponse(KmsUnavailableException.refusedWhileDown(
                "AWS KMS at https://kms.eu-west-1.amazonaws.com (eu-west-1) is not answering", Duration.ofMillis(3_250),
                Map.of("endpoint", "https://kms.eu-west-1.amazonaws.com", "region", "eu-west-1")));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("4");
    }
}
