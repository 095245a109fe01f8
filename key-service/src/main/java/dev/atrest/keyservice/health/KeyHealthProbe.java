package dev.atrest.keyservice.health;

import dev.atrest.keyservice.domain.AwsKmsSettings;
import dev.atrest.keyservice.domain.KmsUnavailableException;
import dev.atrest.keyservice.domain.LocalKeySettings;
import dev.atrest.keyservice.domain.PreconditionFailedException;
import dev.atrest.keyservice.domain.RootKeyConfig;
import dev.atrest.keyservice.domain.ValidationOutcome;
import dev.atrest.keyservice.health.KeyHealthSubject.WrappingKey;
import dev.atrest.keyservice.kms.RootKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks KMS about every root key a project depends on: the configured one (which new master keys are
 * generated under) and each key recorded on a live master key (which existing ones need to open). Makes
 * no database call and runs outside any transaction: KMS may take seconds to answer.
 */
@ApplicationScoped
class KeyHealthProbe {
    private final RootKeys rootKeys;

    KeyHealthProbe(RootKeys rootKeys) {
        this.rootKeys = rootKeys;
    }

    /**
     * What KMS said. A definite refusal of any key is a verdict (INVALID, naming the key); otherwise a
     * key KMS could not be asked about leaves the verdict open (UNREACHABLE).
     *
     * @param resolvedKeyId the key the configured id resolves to now (its key ARN), null unless it is usable
     * @param unreachable   the first failure to reach KMS, rethrown to the caller once the alert is stored
     */
    record Findings(ValidationOutcome outcome, String resolvedKeyId, KmsUnavailableException unreachable) {}

    Findings probe(KeyHealthSubject subject) {
        List<String> refusals = new ArrayList<>();
        KmsUnavailableException unreachable = null;
        String resolved = null;
        RootKeyConfig configured = subject.configured();
        try {
            resolved = rootKeys.forConfig(configured).validate(subject.projectId(), configured);
        } catch (PreconditionFailedException refused) {
            refusals.add(kmsReason(refused));
        } catch (KmsUnavailableException e) {
            unreachable = e;
        }
        for (WrappingKey key : subject.wrapping()) {
            if (provenByConfigured(subject, key, resolved)) {
                continue;
            }
            try {
                rootKeys.forProvider(key.use().provider())
                        .validateWrappingKey(subject.projectId(), key.access(), key.use().keyId());
            } catch (PreconditionFailedException refused) {
                refusals.add("the key " + key.use().keyId() + ", which wraps " + key.use().masterKeys()
                        + " master key(s), cannot be used: " + kmsReason(refused));
            } catch (KmsUnavailableException e) {
                unreachable = unreachable == null ? e : unreachable;
            }
        }
        if (!refusals.isEmpty()) {
            return new Findings(ValidationOutcome.invalid(String.join("; ", refusals)), null, unreachable);
        }
        if (unreachable != null) {
            return new Findings(ValidationOutcome.unreachable(unreachable.getMessage()), null, unreachable);
        }
        return new Findings(ValidationOutcome.valid(), resolved, null);
    }

    /** A key of the current generation that is the configured key itself was judged with it already. */
    private static boolean provenByConfigured(KeyHealthSubject subject, WrappingKey key, String resolved) {
        if (key.use().rootKeyGeneration() != subject.rootKeyGeneration()) {
            return false;
        }
        String id = key.use().keyId();
        return id.equals(resolved) || id.equals(configuredId(subject.configured()));
    }

    private static String configuredId(RootKeyConfig configured) {
        return configured instanceof AwsKmsSettings aws ? aws.customerMasterKeyId()
                : "local:" + ((LocalKeySettings) configured).keyId();
    }

    private static String kmsReason(PreconditionFailedException refused) {
        return refused.metadata().getOrDefault("kms_reason", refused.getMessage());
    }
}
