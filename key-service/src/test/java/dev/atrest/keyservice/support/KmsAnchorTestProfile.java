package dev.atrest.keyservice.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The service anchoring its audit chain in KMS as well, with its own AWS credentials, under an alias the
 * test creates in moto ({@link #ALIAS}): until it exists, KMS anchors fail and are retried.
 */
public class KmsAnchorTestProfile implements QuarkusTestProfile {
    public static final String ALIAS = "alias/atrest-audit-anchor";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("atrest.audit.anchor.kms-key-id", ALIAS, "atrest.audit.anchor.kms-region", Moto.REGION);
    }
}
