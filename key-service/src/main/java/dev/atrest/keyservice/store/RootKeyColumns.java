package dev.atrest.keyservice.store;

import dev.atrest.keyservice.domain.AwsKmsSettings;
import dev.atrest.keyservice.domain.LocalKeySettings;
import dev.atrest.keyservice.domain.Provider;
import dev.atrest.keyservice.domain.RootKeyConfig;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import java.util.Optional;

/**
 * How to reach one root key, as stored: on a project row (its current root key) and on a CMK change (the
 * root key it is leaving, under {@code from_} column names). The AWS secret is only ever stored sealed.
 */
@Embeddable
public class RootKeyColumns {
    @Enumerated(EnumType.STRING)
    @Column(name = "root_provider")
    public Provider provider;

    @Column(name = "aws_cmk_id")
    public String awsCmkId;

    @Column(name = "aws_region")
    public String awsRegion;

    @Column(name = "aws_role_arn")
    public String awsRoleArn;

    @Column(name = "aws_external_id")
    public String awsExternalId;

    @Column(name = "aws_access_key_id")
    public String awsAccessKeyId;

    /** Sealed under the service's seal key with the project as AAD; never the plaintext. */
    @Column(name = "aws_secret_sealed")
    public byte[] awsSecretSealed;

    @Column(name = "local_key_id")
    public String localKeyId;

    /** The root key these columns name, without its secret; empty for no columns (Hibernate loads all-null as null). */
    static Optional<RootKeyConfig> withoutSecret(RootKeyColumns columns) {
        if (columns == null || columns.provider == null) {
            return Optional.empty();
        }
        return Optional.of(switch (columns.provider) {
            case AWS -> new AwsKmsSettings(columns.awsCmkId, columns.awsRegion, columns.awsRoleArn,
                    columns.awsExternalId, columns.awsAccessKeyId, null);
            case LOCAL -> new LocalKeySettings(columns.localKeyId);
            case NONE -> throw new IllegalStateException("a stored root key cannot be NONE");
        });
    }

    /** Columns naming {@code root}, with its secret already sealed (or null). */
    static RootKeyColumns of(RootKeyConfig root, byte[] sealedSecret) {
        RootKeyColumns columns = new RootKeyColumns();
        columns.provider = root.provider();
        if (root instanceof AwsKmsSettings aws) {
            columns.awsCmkId = aws.customerMasterKeyId();
            columns.awsRegion = aws.region();
            columns.awsRoleArn = aws.roleArn();
            columns.awsExternalId = aws.externalId();
            columns.awsAccessKeyId = aws.accessKeyId();
            columns.awsSecretSealed = sealedSecret;
        } else if (root instanceof LocalKeySettings local) {
            columns.localKeyId = local.keyId();
        }
        return columns;
    }

    /** A copy, so that a CMK change keeps the root key its project row is about to leave. */
    static RootKeyColumns copyOf(RootKeyColumns source) {
        RootKeyColumns copy = new RootKeyColumns();
        copy.provider = source.provider;
        copy.awsCmkId = source.awsCmkId;
        copy.awsRegion = source.awsRegion;
        copy.awsRoleArn = source.awsRoleArn;
        copy.awsExternalId = source.awsExternalId;
        copy.awsAccessKeyId = source.awsAccessKeyId;
        copy.awsSecretSealed = source.awsSecretSealed;
        copy.localKeyId = source.localKeyId;
        return copy;
    }
}
