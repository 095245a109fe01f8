package dev.atrest.keyservice.kms;

import dev.atrest.keyservice.domain.KmsUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The open breaker's question to KMS: does anything answer as KMS at this endpoint? One DescribeKey of an
 * alias nobody needs to own, signed with credentials that exist nowhere (AwsClients#forProbe): a reply (not
 * found, unrecognized client, access denied) is KMS answering; a timeout, a refused connection, throttling, a
 * 5xx or a reply that is not KMS's is not. It needs no caller's credentials, so an open breaker holds no
 * secret between probes.
 */
@ApplicationScoped
public class KmsProbe {
    private static final String PROBED_ALIAS = "alias/atrest-kms-breaker-probe";

    private final AwsClients clients;

    public KmsProbe(AwsClients clients) {
        this.clients = clients;
    }

    public boolean answers(KmsEndpoint endpoint) {
        try (KmsClient kms = clients.forProbe(endpoint.region())) {
            kms.describeKey(r -> r.keyId(PROBED_ALIAS));
            return true;
        } catch (SdkException e) {
            return !(KmsErrors.translate("probe", e) instanceof KmsUnavailableException);
        }
    }
}
