package dev.atrest.keyservice.project;

import dev.atrest.keyservice.domain.AwsKmsSettings;
import dev.atrest.keyservice.domain.LocalKeySettings;
import dev.atrest.keyservice.domain.ProjectEncryption;
import dev.atrest.keyservice.domain.ProjectEncryptionUpdate;
import dev.atrest.keyservice.domain.SecretValue;
import dev.atrest.keyservice.grpc.Providers;
import dev.atrest.keyservice.grpc.Timestamps;
import dev.atrest.v1.AwsKmsConfig;
import dev.atrest.v1.CmkChange;
import dev.atrest.v1.LocalKeyConfig;
import dev.atrest.v1.UpdateProjectEncryptionRequest;

/** Project messages ⇄ domain. The secret access key goes in, and never comes out. */
public final class ProjectMessages {
    private ProjectMessages() {}

    public static ProjectEncryptionUpdate toUpdate(UpdateProjectEncryptionRequest request) {
        dev.atrest.v1.ProjectEncryption sent = request.getProjectEncryption();
        AwsKmsConfig aws = sent.getAwsKms();
        String secret = aws.getSecretAccessKey();
        AwsKmsSettings settings = new AwsKmsSettings(
                orNull(aws.getCustomerMasterKeyId()), orNull(aws.getRegion()), orNull(aws.getRoleArn()),
                orNull(aws.getExternalId()), orNull(aws.getAccessKeyId()),
                secret.isEmpty() ? null : SecretValue.ofUtf8(secret));
        String localKeyId = sent.getLocalKey().getKeyId();
        LocalKeySettings local = new LocalKeySettings(localKeyId.isEmpty() ? LocalKeySettings.DEFAULT_KEY_ID : localKeyId);
        String etag = request.getEtag().isEmpty() ? sent.getEtag() : request.getEtag();
        return new ProjectEncryptionUpdate(sent.getProjectId(), aws.getEnabled(), settings,
                sent.getLocalKey().getEnabled(), local, etag, sent.getCmkRotationAlertDays());
    }

    public static dev.atrest.v1.ProjectEncryption toMessage(ProjectEncryption project) {
        var message = dev.atrest.v1.ProjectEncryption.newBuilder()
                .setProjectId(project.projectId())
                .setProvider(Providers.toMessage(project.provider()))
                .setValid(project.valid())
                .setValidationError(project.validationError() == null ? "" : project.validationError())
                .setEtag(project.etag())
                .setGeneration(project.generation())
                .setCmkRotationAlertDays(project.cmkAgePolicy().alertDays());
        project.rootKey().ifPresent(root -> {
            boolean inForce = project.provider() == root.provider();
            if (root instanceof AwsKmsSettings aws) {
                message.setAwsKms(AwsKmsConfig.newBuilder()
                        .setEnabled(inForce)
                        .setCustomerMasterKeyId(aws.customerMasterKeyId())
                        .setRegion(aws.region())
                        .setRoleArn(orEmpty(aws.roleArn()))
                        .setExternalId(orEmpty(aws.externalId()))
                        .setAccessKeyId(orEmpty(aws.accessKeyId())));
            } else if (root instanceof LocalKeySettings local) {
                message.setLocalKey(LocalKeyConfig.newBuilder().setEnabled(inForce).setKeyId(local.keyId()));
            }
        });
        project.cmkChange().ifPresent(change -> {
            var progress = CmkChange.newBuilder()
                    .setMasterKeysRewrapped(change.masterKeysRewrapped())
                    .setMasterKeysTotal(change.masterKeysTotal())
                    .setLastError(orEmpty(change.lastError()));
            Timestamps.set(change.startedTime(), progress::setStartedTime);
            message.setCmkChange(progress);
        });
        Timestamps.set(project.cmkLastChangedTime(), message::setCmkLastChangedTime);
        Timestamps.set(project.lastValidatedTime(), message::setLastValidatedTime);
        Timestamps.set(project.createTime(), message::setCreateTime);
        Timestamps.set(project.updateTime(), message::setUpdateTime);
        return message.build();
    }

    private static String orNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
