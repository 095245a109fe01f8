package dev.atrest.keyservice.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The service with the network edge as in production: refused calls limited and their audit records
 * coalesced (the default test profile records each refusal on its own, which the access tests expect),
 * and no per-project metrics.
 */
public class RefusalLimitsProfile implements QuarkusTestProfile {
    public static final int RATE_PER_SECOND = 5;
    public static final int BURST = 20;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "atrest.refusals.rate-per-second", String.valueOf(RATE_PER_SECOND),
                "atrest.refusals.burst", String.valueOf(BURST),
                "atrest.refusals.audit-window", "60s",
                "atrest.metrics.per-project", "false");
    }
}
