package dev.atrest.keyservice.domain;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.domain.PreconditionFailedException.Reason;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EncryptionRulesTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void generationAfterEnable_fromOff_nextIncarnation() {
        org.assertj.core.api.Assertions.assertThat(EncryptionRules.generationAfterEnable(false, 0)).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThat(EncryptionRules.generationAfterEnable(false, 4)).isEqualTo(5);
    }

    @Test
    void generationAfterEnable_alreadyOn_keepsIt() {
        org.assertj.core.api.Assertions.assertThat(EncryptionRules.generationAfterEnable(true, 3)).isEqualTo(3);
    }

    @Test
    void checkClusterMayEnable_projectNeverConfigured_notEnabled() {
        assertThatThrownBy(() -> EncryptionRules.checkClusterMayEnable(null, Provider.AWS))
                .isInstanceOfSatisfying(PreconditionFailedException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.reason()).isEqualTo(Reason.ENCRYPTION_AT_REST_NOT_ENABLED));
    }

    @Test
    void checkClusterMayEnable_projectDisabled_notEnabled() {
        assertThatThrownBy(() -> EncryptionRules.checkClusterMayEnable(project(false, local()), Provider.LOCAL))
                .isInstanceOfSatisfying(PreconditionFailedException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.reason()).isEqualTo(Reason.ENCRYPTION_AT_REST_NOT_ENABLED));
    }

    @Test
    void checkClusterMayEnable_otherProvider_invalidProvider() {
        assertThatThrownBy(() -> EncryptionRules.checkClusterMayEnable(project(true, local()), Provider.AWS))
                .isInstanceOfSatisfying(PreconditionFailedException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.reason()).isEqualTo(Reason.INVALID_ENCRYPTION_AT_REST_PROVIDER));
    }

    @Test
    void checkClusterMayEnable_sameProvider_allowed() {
        assertThatCode(() -> EncryptionRules.checkClusterMayEnable(project(true, local()), Provider.LOCAL))
                .doesNotThrowAnyException();
    }

    @Test
    void checkClusterProviderChange_encryptedToOther_refused() {
        ClusterEncryption encrypted = new ClusterEncryption("p", "c", Provider.AWS, ClusterState.ENABLED, 1, 1, NOW, NOW,
                RotationPolicy.DEFAULT, NOW, null, false, 1);

        assertThatThrownBy(() -> EncryptionRules.checkClusterProviderChange(encrypted, Provider.LOCAL))
                .isInstanceOfSatisfying(PreconditionFailedException.class, e -> org.assertj.core.api.Assertions
                        .assertThat(e.reason()).isEqualTo(Reason.CANNOT_CHANGE_ENCRYPTION_AT_REST_PROVIDER));
        assertThatCode(() -> EncryptionRules.checkClusterProviderChange(encrypted, Provider.NONE)).doesNotThrowAnyException();
        assertThatCode(() -> EncryptionRules.checkClusterProviderChange(encrypted, Provider.AWS)).doesNotThrowAnyException();
    }

    @Test
    void checkClusterProviderChange_disabledToAny_allowed() {
        ClusterEncryption disabled = new ClusterEncryption("p", "c", Provider.NONE, ClusterState.DISABLED, 1, 1, NOW, NOW,
                RotationPolicy.DEFAULT, NOW, null, false, 1);

        assertThatCode(() -> EncryptionRules.checkClusterProviderChange(disabled, Provider.LOCAL)).doesNotThrowAnyException();
    }

    @Test
    void checkProjectMayDisable_encryptedClusters_refusedNamingThem() {
        assertThatThrownBy(() -> EncryptionRules.checkProjectMayDisable("p", List.of("a", "b")))
                .isInstanceOfSatisfying(PreconditionFailedException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.reason()).isEqualTo(Reason.CANNOT_DISABLE_ENCRYPTION_AT_REST);
                    org.assertj.core.api.Assertions.assertThat(e.metadata()).containsEntry("clusters", "a,b");
                });
        assertThatCode(() -> EncryptionRules.checkProjectMayDisable("p", List.of())).doesNotThrowAnyException();
    }

    @Test
    void checkProjectProviderChange_underEncryptedClusters_refused() {
        assertThatThrownBy(() -> EncryptionRules.checkProjectProviderChange(project(true, local()), Provider.AWS, List.of("c")))
                .isInstanceOf(PreconditionFailedException.class);
        assertThatCode(() -> EncryptionRules.checkProjectProviderChange(project(true, local()), Provider.AWS, List.of()))
                .doesNotThrowAnyException();
        assertThatCode(() -> EncryptionRules.checkProjectProviderChange(project(true, local()), Provider.LOCAL, List.of("c")))
                .doesNotThrowAnyException();
    }

    private static LocalKeySettings local() {
        return new LocalKeySettings("default");
    }

    private static ProjectEncryption project(boolean enabled, RootKeyConfig root) {
        return new ProjectEncryption("p", Optional.of(root), enabled, enabled, null, NOW, NOW, 1, NOW, NOW, CmkAgePolicy.DEFAULT, Optional.empty(), 1);
    }
}
