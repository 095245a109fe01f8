package dev.atrest.keyservice.grpc;

import static dev.atrest.keyservice.support.FuzzInputs.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.atrest.keyservice.domain.InputRules;
import dev.atrest.keyservice.domain.InvalidArgumentException;
import dev.atrest.keyservice.domain.NewAccessToken;
import dev.atrest.keyservice.domain.ProjectEncryptionUpdate;
import dev.atrest.keyservice.kms.AwsClients;
import dev.atrest.keyservice.project.ProjectMessages;
import dev.atrest.testsupport.FaultTally;
import dev.atrest.v1.AwsKmsConfig;
import dev.atrest.v1.CreateAccessTokenRequest;
import dev.atrest.v1.LocalKeyConfig;
import dev.atrest.v1.ProjectEncryption;
import dev.atrest.v1.UpdateProjectEncryptionRequest;
import org.junit.jupiter.api.AfterAll;

/**
 * Requests built from fuzzed bytes, through the same proto → domain conversions and input rules the services
 * use: each is accepted or refused with InvalidArgumentException (INVALID_ARGUMENT, naming the fields), never
 * any other exception, which the error mapper would turn into INTERNAL. Checks made inside a database
 * transaction (SetClusterEncryption's, for one) are fuzzed through the running service by GrpcFuzzTest.
 * Plain {@code mvn test} replays the committed inputs in {@code RequestValidationFuzzTestInputs/};
 * {@code scripts/fuzz.sh} fuzzes.
 */
class RequestValidationFuzzTest {
    private static final InputRules RULES = new InputRules(AwsClients::isKnownRegion);
    private static final FaultTally TALLY = FaultTally.fuzzTest("request-validation");

    /** One test, so that scripts/fuzz.sh can fuzz it in a JVM of its own; the first choice picks the request. */
    @FuzzTest
    void request_anyFields_acceptedOrInvalidArgument(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            updateProjectEncryption(data);
        } else {
            createAccessToken(data);
        }
    }

    private static void updateProjectEncryption(FuzzedDataProvider data) {
        AwsKmsConfig aws = AwsKmsConfig.newBuilder().setEnabled(data.consumeBoolean())
                .setCustomerMasterKeyId(text(data)).setRegion(text(data)).setRoleArn(text(data))
                .setExternalId(text(data)).setAccessKeyId(text(data)).setSecretAccessKey(text(data)).build();
        ProjectEncryption project = ProjectEncryption.newBuilder().setProjectId(text(data)).setAwsKms(aws)
                .setLocalKey(LocalKeyConfig.newBuilder().setEnabled(data.consumeBoolean()).setKeyId(text(data)))
                .setEtag(text(data)).setCmkRotationAlertDays(data.consumeInt()).build();
        UpdateProjectEncryptionRequest request = UpdateProjectEncryptionRequest.newBuilder()
                .setProjectEncryption(project).setEtag(text(data)).build();
        boolean secretStored = data.consumeBoolean();
        expectAcceptedOrInvalidArgument(() -> {
            ProjectEncryptionUpdate update = ProjectMessages.toUpdate(request);
            update.check(RULES);
            update.checkSecretPresent(secretStored);
        });
    }

    private static void createAccessToken(FuzzedDataProvider data) {
        CreateAccessTokenRequest.Builder request = CreateAccessTokenRequest.newBuilder().setName(text(data))
                .setRoleValue(data.consumeInt()).setAllProjects(data.consumeBoolean()).setTtlDays(data.consumeInt());
        int projects = data.consumeInt(0, 120);
        for (int i = 0; i < projects; i++) {
            request.addProjectIds(data.consumeBoolean() ? "p" + data.consumeInt(0, 9) : text(data));
        }
        CreateAccessTokenRequest sent = request.build();
        expectAcceptedOrInvalidArgument(() -> NewAccessToken.validate(sent.getName(),
                Roles.toDomain(sent.getRole()), sent.getProjectIdsList(), sent.getAllProjects(),
                sent.getTtlDays()));
    }

    @AfterAll
    static void report() {
        TALLY.close();
    }

    /** One trial: refusals are counted as malformed inputs; anything but the typed refusal is a failure. */
    private static void expectAcceptedOrInvalidArgument(Runnable validation) {
        TALLY.trial();
        TALLY.verify("input " + TALLY.trials(), () -> {
            try {
                validation.run();
            } catch (InvalidArgumentException refused) {
                TALLY.faults(1);
                assertThat(refused.violations()).isNotEmpty();
            } catch (RuntimeException | Error other) {
                throw new AssertionError("not the typed validation error: " + other, other);
            }
        });
    }
}
