package dev.atrest.keyservice.kms;

import static dev.atrest.keyservice.kms.KmsErrors.required;

import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.domain.AwsKmsSettings;
import dev.atrest.keyservice.domain.Provider;
import dev.atrest.keyservice.domain.RootKeyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/** The customer's CMK in AWS KMS wraps each master key (GenerateDataKey / Decrypt / Encrypt). */
@ApplicationScoped
public class AwsKmsRootKeyProvider implements RootKeyProvider {
    private final AwsClients clients;
    private final KmsBreakers breakers;

    public AwsKmsRootKeyProvider(AwsClients clients, KmsBreakers breakers) {
        this.clients = clients;
        this.breakers = breakers;
    }

    @Override
    public Provider provider() {
        return Provider.AWS;
    }

    @Override
    public String validate(String projectId, RootKeyConfig config) {
        AwsKmsSettings aws = (AwsKmsSettings) config;
        return call(aws, "validate the customer master key", kms -> {
            KeyMetadata key = required(kms.describeKey(r -> r.keyId(aws.customerMasterKeyId())).keyMetadata(),
                    "KeyMetadata");
            requireUsable(key);
            Map<String, String> context = MasterKeyContext.forValidation(projectId);
            GenerateDataKeyResponse generated = kms.generateDataKey(r -> r.keyId(aws.customerMasterKeyId())
                    .keySpec(DataKeySpec.AES_256).encryptionContext(context));
            byte[] expected = required(generated.plaintext(), "Plaintext").asByteArray();
            SdkBytes wrapped = required(generated.ciphertextBlob(), "CiphertextBlob");
            byte[] roundTrip = required(kms.decrypt(r -> r.ciphertextBlob(wrapped)
                            .keyId(aws.customerMasterKeyId()).encryptionContext(context)).plaintext(), "Plaintext")
                    .asByteArray();
            boolean same = MessageDigest.isEqual(expected, roundTrip);
            Arrays.fill(expected, (byte) 0);
            Arrays.fill(roundTrip, (byte) 0);
            if (!same) {
                throw KmsErrors.invalid("a data key generated under the key did not decrypt to itself");
            }
            return key.arn();
        });
    }

    /** The same proof as for the configured key, asked of the key ARN recorded on the master keys. */
    @Override
    public String validateWrappingKey(String projectId, RootKeyConfig access, String wrappingKeyId) {
        return validate(projectId, ((AwsKmsSettings) access).withKeyId(wrappingKeyId));
    }

    @Override
    public GeneratedMasterKey generateMasterKey(RootKeyConfig config, Map<String, String> context) {
        AwsKmsSettings aws = (AwsKmsSettings) config;
        return call(aws, "generate a master key", kms -> {
            GenerateDataKeyResponse generated = kms.generateDataKey(r -> r.keyId(aws.customerMasterKeyId())
                    .keySpec(DataKeySpec.AES_256).encryptionContext(context));
            return new GeneratedMasterKey(
                    KeyMaterial.takeOwnership(required(generated.plaintext(), "Plaintext").asByteArray()),
                    new WrappedMasterKey(required(generated.keyId(), "KeyId"),
                            required(generated.ciphertextBlob(), "CiphertextBlob").asByteArray()));
        });
    }

    @Override
    public KeyMaterial decryptMasterKey(RootKeyConfig config, WrappedMasterKey wrapped, Map<String, String> context) {
        AwsKmsSettings aws = (AwsKmsSettings) config;
        // Name the key that wrapped it, so KMS refuses rather than decrypting under a key we did not expect.
        return call(aws, "decrypt a master key", kms -> KeyMaterial.takeOwnership(required(kms.decrypt(r -> r
                        .ciphertextBlob(SdkBytes.fromByteArray(wrapped.ciphertext()))
                        .keyId(wrapped.wrappingKeyId())
                        .encryptionContext(context))
                .plaintext(), "Plaintext").asByteArray()));
    }

    @Override
    public WrappedMasterKey encryptMasterKey(RootKeyConfig config, KeyMaterial masterKey, Map<String, String> context) {
        AwsKmsSettings aws = (AwsKmsSettings) config;
        byte[] plaintext = masterKey.copyBytes();
        try {
            return call(aws, "encrypt a master key", kms -> {
                var response = kms.encrypt(r -> r.keyId(aws.customerMasterKeyId())
                        .plaintext(SdkBytes.fromByteArray(plaintext)).encryptionContext(context));
                return new WrappedMasterKey(required(response.keyId(), "KeyId"),
                        required(response.ciphertextBlob(), "CiphertextBlob").asByteArray());
            });
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * KMS ReEncrypt when one set of credentials reaches both CMKs in one region: the master key never
     * leaves KMS in plaintext. Otherwise (another region, other credentials, or LOCAL) Decrypt + Encrypt.
     * The old CMK's state is checked first: KMS refuses a disabled key anyway, but the error then names
     * the old key and its state, and emulators such as moto do not enforce key state on ReEncrypt.
     */
    @Override
    public WrappedMasterKey reEncryptMasterKey(RootKeyConfig from, WrappedMasterKey wrapped, RootKeyConfig to,
                                               RootKeyProvider target, Map<String, String> context) {
        AwsKmsSettings source = (AwsKmsSettings) from;
        call(source, "check the old customer master key", kms -> {
            KeyMetadata key = required(kms.describeKey(r -> r.keyId(wrapped.wrappingKeyId())).keyMetadata(),
                    "KeyMetadata");
            if (key.keyState() != KeyState.ENABLED) {
                throw KmsErrors.invalid("the old customer master key " + key.arn() + " is "
                        + key.keyStateAsString() + ", not Enabled");
            }
            return key;
        });
        if (!(to instanceof AwsKmsSettings destination) || !source.sameAccessAs(destination)) {
            return RootKeyProvider.super.reEncryptMasterKey(from, wrapped, to, target, context);
        }
        return call(destination, "re-encrypt a master key under the new customer master key", kms -> {
            var response = kms.reEncrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(wrapped.ciphertext()))
                    .sourceKeyId(wrapped.wrappingKeyId())
                    .sourceEncryptionContext(context)
                    .destinationKeyId(destination.customerMasterKeyId())
                    .destinationEncryptionContext(context));
            return new WrappedMasterKey(required(response.keyId(), "KeyId"),
                    required(response.ciphertextBlob(), "CiphertextBlob").asByteArray());
        });
    }

    private static void requireUsable(KeyMetadata key) {
        if (key.keyState() != KeyState.ENABLED) {
            throw KmsErrors.invalid("the key is " + key.keyStateAsString() + ", not Enabled");
        }
        if (key.keySpec() != KeySpec.SYMMETRIC_DEFAULT) {
            throw KmsErrors.invalid("the key spec is " + key.keySpecAsString() + ", not SYMMETRIC_DEFAULT");
        }
        // AWS always reports the usage; some emulators leave it out for symmetric keys, whose only
        // possible usage is ENCRYPT_DECRYPT anyway. The round trip that follows proves it either way.
        if (key.keyUsage() != null && key.keyUsage() != KeyUsageType.ENCRYPT_DECRYPT) {
            throw KmsErrors.invalid("the key usage is " + key.keyUsageAsString() + ", not ENCRYPT_DECRYPT");
        }
    }

    /** One use of KMS, through the breaker of its endpoint: refused at once while that is known to be down. */
    private <T> T call(AwsKmsSettings aws, String action, Function<KmsClient, T> work) {
        return breakers.call(aws.region(), () -> {
            try (KmsClient kms = clients.kms(aws)) {
                return work.apply(kms);
            } catch (SdkException e) {
                throw KmsErrors.translate(action, e);
            }
        });
    }
}
