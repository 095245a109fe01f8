package dev.atrest.keyservice.vault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.support.Api;
import dev.atrest.keyservice.support.RefusalLimitsProfile;
import dev.atrest.v1.Role;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Refusals over the Vault API cost the caller as they do over gRPC (one limiter for both ways in): a flood of
 * invented tokens from one address is answered 429 with Retry-After before any token is looked up, while an
 * engine with a valid token on the same address keeps reading its key.
 */
@QuarkusTest
@TestProfile(RefusalLimitsProfile.class)
class VaultRefusalLimitTest {
    @TestHTTPResource("/")
    URI base;

    @Test
    void read_floodOfInventedTokens_429WithRetryAfter_validTokenStillServed() {
        String project = Api.encryptedLocalProject("vault-flood", "c1");
        String token = Api.createToken(Role.KEY_CONSUMER, project).getSecret();
        VaultApi vault = new VaultApi(base);
        String path = VaultApi.dataPath(project, "c1", "1");
        assertThat(vault.get(path, token).statusCode()).isEqualTo(200);

        List<HttpResponse<String>> flood = new ArrayList<>();
        for (int i = 0; i < RefusalLimitsProfile.BURST * 3; i++) {
            flood.add(vault.get(path, "atrest_invented-" + i));
        }

        assertThat(flood).extracting(HttpResponse::statusCode).containsOnly(403, 429).contains(429);
        HttpResponse<String> limited = flood.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isPositive());
        assertThat(limited.body()).startsWith("{\"errors\":[\"");
        assertThat(vault.get(path, token).statusCode()).isEqualTo(200);
    }
}
